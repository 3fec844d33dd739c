#!/bin/sh
# Takes a backup of the live database with the service's `backup` verb, then deletes the backups older
# than BACKUP_KEEP_DAYS days. Nothing is deleted unless this run's backup succeeded (set -e), so a failing
# backup never eats the last good ones. Settings (environment):
#   TRACKER           the service's command      (default /opt/initiative-tracker/InitiativeTracker.Api)
#   TRACKER_DATABASE  the live database file     (default /var/lib/initiative-tracker/tracker.db)
#   BACKUP_DIR        where the copies go        (default /var/lib/initiative-tracker-backups)
#   BACKUP_KEEP_DAYS  days a copy is kept        (default 14)
set -eu

tracker=${TRACKER:-/opt/initiative-tracker/InitiativeTracker.Api}
database=${TRACKER_DATABASE:-/var/lib/initiative-tracker/tracker.db}
directory=${BACKUP_DIR:-/var/lib/initiative-tracker-backups}
keep_days=${BACKUP_KEEP_DAYS:-14}

case $keep_days in
    ''|*[!0-9]*) echo "BACKUP_KEEP_DAYS must be a whole number of days, not '$keep_days'." >&2; exit 2 ;;
esac

mkdir -p "$directory"
destination="$directory/tracker-$(date -u +%Y%m%dT%H%M%SZ).db"
# $tracker is word-split on purpose: "dotnet /opt/initiative-tracker/InitiativeTracker.Api.dll" works too.
# shellcheck disable=SC2086
$tracker backup "$destination" "--ConnectionStrings:Tracker=Data Source=$database"

find "$directory" -maxdepth 1 -type f -name 'tracker-*.db' -mtime +"$keep_days" -print -delete
