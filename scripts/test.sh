#!/usr/bin/env bash
# Sets up and runs every test suite: import boundaries, types, build, unit + integration tests
# (real SQLite, real keychain on a private D-Bus, real HTTP on loopback), browser tests in Chromium,
# the packaging smoke test (electron-builder with a stand-in Electron, asar contents, native modules), and
# the relay's npm package (packed, installed into an empty directory, run with npx, a webhook end to end).
# Ends with one line: "N passed, N failed" over all suites (a check counts 1; a test suite counts its tests).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
source scripts/lib/toolchain.sh

RUN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/dmdesk-test.XXXXXX")
trap 'rm -rf "$RUN_TMP"' EXIT
PASSED=0
FAILED=0
TIMINGS=()
ms() { date +%s%3N; }
secs() { awk -v a="$1" -v b="$(ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# A check: one command, counted as one test.
check() {
  local name=$1 t0 rc
  shift
  echo "==== [$name] ===="
  t0=$(ms)
  "$@"
  rc=$?
  if [ "$rc" -eq 0 ]; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); fi
  TIMINGS+=("$(printf '%-10s %6ss  %s' "$name" "$(secs "$t0")" "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED rc=$rc")")")
  return 0
}

# A suite: counted by the tests its JSON report lists; a suite that crashes before reporting counts as one failure.
count_report() {
  local report=$1 rc=$2 counts
  if [ -s "$report" ] && counts=$(node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      // vitest: numPassedTests/numFailedTests; playwright: stats.expected/unexpected/flaky
      const p = r.numPassedTests ?? (r.stats.expected + r.stats.flaky);
      const f = r.numFailedTests ?? r.stats.unexpected;
      const total = r.numTotalTests ?? (p + f + r.stats.skipped);
      if (total === 0) { console.log("0 1"); } else console.log(p + " " + f);' "$report"); then
    read -r p f <<<"$counts"
    PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then FAILED=$((FAILED + 1)); fi
  else
    FAILED=$((FAILED + 1))
  fi
}

suite() {
  local name=$1 report=$2 t0 rc
  shift 2
  echo "==== [$name] ===="
  t0=$(ms)
  "$@"
  rc=$?
  count_report "$report" "$rc"
  TIMINGS+=("$(printf '%-10s %6ss  %s' "$name" "$(secs "$t0")" "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED rc=$rc")")")
}

vitest_in_keyring() {
  # keytar needs a Secret Service: a private session bus with an unlocked gnome-keyring, all state in a temp dir.
  local kr=$RUN_TMP/keyring
  mkdir -p "$kr/data" "$kr/run" "$kr/cache" "$kr/config"
  chmod 700 "$kr" "$kr/data" "$kr/run"
  env XDG_DATA_HOME="$kr/data" XDG_RUNTIME_DIR="$kr/run" XDG_CACHE_HOME="$kr/cache" XDG_CONFIG_HOME="$kr/config" \
    REQUIRE_KEYRING=1 \
    dbus-run-session -- sh -c 'echo -n dmdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' sh \
    npx vitest run --reporter=default --reporter=json --outputFile.json="$RUN_TMP/vitest.json"
}

has_e2e_specs() { compgen -G "tests/e2e/*.spec.ts" >/dev/null; }

playwright_suite() {
  XDG_CACHE_HOME="$RUN_TMP/e2e-cache" XDG_CONFIG_HOME="$RUN_TMP/e2e-config" \
    PLAYWRIGHT_JSON_OUTPUT_NAME="$RUN_TMP/playwright.json" npx playwright test --reporter=list,json
}

T_START=$(ms)
check setup bash -c 'source scripts/lib/toolchain.sh && ensure_everything'
ensure_node22 >/dev/null
check lint npm run --silent lint
check typecheck npm run --silent typecheck
check build npm run --silent build
suite vitest "$RUN_TMP/vitest.json" vitest_in_keyring
if has_e2e_specs; then suite e2e "$RUN_TMP/playwright.json" playwright_suite; fi
check package bash scripts/package-smoke.sh
check relay-pkg node scripts/npm-package-smoke/relay.ts
check sim-pkg node scripts/npm-package-smoke/simulator.ts

echo "---- timings ----"
printf '%s\n' "${TIMINGS[@]}"
echo "total $(secs "$T_START")s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
