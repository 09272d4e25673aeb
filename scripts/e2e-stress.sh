#!/usr/bin/env bash
# The browser suite under load, the way a busy CI machine runs it: the renderer is built once, then
# the Playwright suite runs 3 times in a row (E2E_STRESS_RUNS) while two busy-loop node processes keep
# both cores busy beside it. Fails if any run fails. A flaky spec (one that waits for time instead of
# an event, or a real race in the app) shows up here long before it blocks a landing.
#
#   npm run test:e2e:stress                                  # the whole suite, 3 times
#   npm run test:e2e:stress -- tests/e2e/long-thread.spec.ts # extra arguments go to `playwright test`
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/toolchain.sh
ensure_node22 >/dev/null || exit 1

RUNS=${E2E_STRESS_RUNS:-3}
BUSY_LOOPS=2
RUN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/dmdesk-e2e-stress.XXXXXX")
busy_pids=()

# Always stop the busy loops, whatever ends the script: success, a failed run, Ctrl-C, a kill. (A
# signal sent to this script alone takes effect when the current run ends; Ctrl-C reaches the whole
# process group, so Playwright stops at once, and its exit status 130 ends the loop below.)
stop_busy_loops() {
  local pid
  for pid in "${busy_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${busy_pids[@]}"; do wait "$pid" 2>/dev/null; done
  busy_pids=()
  rm -rf "$RUN_TMP"
}
trap stop_busy_loops EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

npm run --silent build || exit 1

# Each loop also ends by itself once this script is gone (its parent changes), even after a SIGKILL
# that no trap sees: a busy loop must never outlive the stress run on a shared machine.
for ((i = 0; i < BUSY_LOOPS; i++)); do
  node -e 'const parent = process.ppid; for (;;) { for (let i = 0; i < 1e7; i++); if (process.ppid !== parent) process.exit() }' &
  busy_pids+=($!)
done
echo "e2e stress: ${#busy_pids[@]} busy loops (pids ${busy_pids[*]}) beside $RUNS runs of the browser suite"

failed_runs=0
for ((run = 1; run <= RUNS; run++)); do
  echo "==== e2e stress: run $run of $RUNS ===="
  XDG_CACHE_HOME="$RUN_TMP/cache" XDG_CONFIG_HOME="$RUN_TMP/config" npx playwright test --reporter=list "$@"
  status=$?
  # 130: Playwright was interrupted (Ctrl-C); the remaining runs are not wanted either.
  if [ "$status" -eq 130 ]; then exit 130; fi
  if [ "$status" -ne 0 ]; then failed_runs=$((failed_runs + 1)); fi
done

echo "e2e stress: $((RUNS - failed_runs)) of $RUNS runs passed"
[ "$failed_runs" -eq 0 ]
