#!/usr/bin/env bash
# The long fault-injection run: kills `access-reconciler apply` mid-run (after a random number of writes) over seeded
# worlds, reruns it, and checks that every end state is consistent (see
# Tests/EndToEndTests/FaultInjectionTests.swift). CI runs 4 trials as part of `swift test`.
#   scripts/fault-injection.sh [TRIALS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
export ACCESS_RECONCILER_FAULT_TRIALS="${1:-40}"
export ACCESS_RECONCILER_FAULT_SEED="${2:-$(date +%s)}"
echo "fault injection: $ACCESS_RECONCILER_FAULT_TRIALS trials, seed $ACCESS_RECONCILER_FAULT_SEED (rerun with the same seed to repeat)"
swift build --build-tests
swift test --skip-build --filter FaultInjectionTests 2>&1 | grep -E "^trial |fault injection|Test run|✘"
