// CPU time of another process (the relay child), from /proc: to tell "the relay ran out of CPU" from
// "the disk was slow" when a figure misses its target. Linux only; NaN elsewhere.
import { readFileSync } from 'node:fs'

const CLOCK_TICKS_PER_SECOND = 100

export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may contain spaces) start at state, the 3rd field.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const userTicks = Number(fields[11])
    const systemTicks = Number(fields[12])
    return (userTicks + systemTicks) / CLOCK_TICKS_PER_SECOND
  } catch {
    return NaN
  }
}
