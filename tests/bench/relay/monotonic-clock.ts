// One clock for every process of the relay bench. process.hrtime reads CLOCK_MONOTONIC, which on Linux is
// system-wide: a timestamp taken in the simulator's process and one taken in the desktop's process compare
// directly. (performance.now() has a per-process origin; Date.now() has 1 ms steps and follows NTP slews.)
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000
}
