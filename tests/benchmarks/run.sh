#!/usr/bin/env bash
# Benchmarks the service on a generated data set (default 100,000 initiatives, 1,000,000 check-ins).
# The data set is generated once per size and day into $TMPDIR/initiative-tracker-bench and reused.
#   tests/benchmarks/run.sh [--initiatives N] [--check-ins N] [--seconds S] [--warmup S] [--connections C]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release src/InitiativeTracker.Api -v quiet -nologo > /dev/null
dotnet run -c Release --project tests/InitiativeTracker.Benchmarks -- "$@"
