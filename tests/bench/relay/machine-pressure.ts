// How busy the machine was during a phase. The bench shares its 2 cores and its disk with whatever else
// runs there, so next to each figure it says:
// - how many cores *other* processes used (all CPU time in /proc/stat minus the bench's own processes);
// - Linux pressure stall information (/proc/pressure): the share of wall time in which some runnable task
//   (the bench's included) waited for a CPU, or for I/O.
// Null where /proc is not available.
import { readFileSync } from 'node:fs'
import { monotonicMs } from './monotonic-clock.ts'
import { processCpuSeconds } from './process-cpu.ts'

const CLOCK_TICKS_PER_SECOND = 100

export interface PressureMark {
  atMs: number
  pids: number[]
  cpuStallUs: number
  ioStallUs: number
  machineBusyS: number
  benchCpuS: number
}

export interface Pressure {
  /** Cores' worth of CPU used by processes other than the bench's. */
  otherCores: number
  /** % of the phase during which some task waited for a CPU. */
  cpuPct: number
  /** % of the phase during which some task waited for I/O. */
  ioPct: number
}

function someTotalUs(resource: 'cpu' | 'io'): number {
  const total = /^some .*total=(\d+)/m.exec(readFileSync(`/proc/pressure/${resource}`, 'utf8'))?.[1]
  if (total === undefined) throw new Error(`no "some" line in /proc/pressure/${resource}`)
  return Number(total)
}

function machineBusySeconds(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number)
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND
}

/** `pids`: the bench's own processes (this one is always counted). */
export function markPressure(pids: number[]): PressureMark | null {
  try {
    const all = [process.pid, ...pids.filter((pid) => pid !== process.pid)]
    return {
      atMs: monotonicMs(),
      pids: all,
      cpuStallUs: someTotalUs('cpu'),
      ioStallUs: someTotalUs('io'),
      machineBusyS: machineBusySeconds(),
      benchCpuS: all.reduce((sum, pid) => sum + processCpuSeconds(pid), 0)
    }
  } catch {
    return null
  }
}

export function pressureSince(mark: PressureMark | null): Pressure | null {
  const now = mark && markPressure(mark.pids)
  if (!mark || !now) return null
  const wallS = (now.atMs - mark.atMs) / 1000
  const others = now.machineBusyS - mark.machineBusyS - (now.benchCpuS - mark.benchCpuS)
  return {
    otherCores: Math.max(0, others / wallS),
    cpuPct: (100 * (now.cpuStallUs - mark.cpuStallUs)) / (wallS * 1e6),
    ioPct: (100 * (now.ioStallUs - mark.ioStallUs)) / (wallS * 1e6)
  }
}

export function describePressure(pressure: Pressure | null): string {
  if (!pressure) return 'machine load: not available'
  return `machine load: other processes used ${pressure.otherCores.toFixed(2)} cores; some task waited for a CPU ${pressure.cpuPct.toFixed(0)}% of the time, for I/O ${pressure.ioPct.toFixed(0)}%`
}
