#!/usr/bin/env bash
# Generates the C# client of openapi.yaml with the pinned Kiota (.config/dotnet-tools.json).
#
#   tests/clients/generate-csharp.sh            regenerates src/InitiativeTracker.Client/Generated
#   tests/clients/generate-csharp.sh DIR        generates into DIR instead (KiotaClientTests compares the two)
#
# The generated code is a build product: never edit it, rerun this (or UPDATE_CLIENT=1 dotnet test
# tests/InitiativeTracker.Client.Tests --filter KiotaClientTests) and commit the result.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/src/InitiativeTracker.Client/Generated}"
cd "$root"

# Offline: no update check against GitHub, no telemetry (the tool would otherwise try both on every run).
export KIOTA_OFFLINE_ENABLED=true KIOTA_CLI_TELEMETRY_OPTOUT=true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet tool restore >&2
dotnet kiota generate \
  --openapi openapi.yaml \
  --language CSharp \
  --class-name TrackerApiClient \
  --namespace-name InitiativeTracker.Client \
  --exclude-backward-compatible \
  --clean-output \
  --log-level Warning \
  --output "$out"

# Kiota's log of this run (the warnings printed above): not part of the client.
rm -f "$out/.kiota.log"
