// The machine's load next to every figure: the benchmarks share 2 cores with other work, and a figure
// means little without it.
import { readFileSync } from 'node:fs'

/** The 1-minute load average (NaN where /proc is missing). */
export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])
  } catch {
    return NaN
  }
}

/** Load averages seen during a phase: call `sample()` now and then, read the range at the end. */
export class LoadSamples {
  readonly #values: number[] = [loadAverage()]

  sample(): void {
    this.#values.push(loadAverage())
  }

  get range(): { min: number; max: number } {
    return { min: Math.min(...this.#values), max: Math.max(...this.#values) }
  }

  describe(): string {
    const { min, max } = this.range
    return min === max ? `load average ${min.toFixed(1)}` : `load average ${min.toFixed(1)}–${max.toFixed(1)}`
  }
}
