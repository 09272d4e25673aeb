// What a process is doing, from /proc (Linux): its resident memory and how often its threads woke up
// (context switches, voluntary and not, summed over every thread). CPU time: relay/process-cpu.ts.
import { readdirSync, readFileSync } from 'node:fs'

function statusField(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)
  return match ? Number(match[1]) : 0
}

/** Resident set size in MiB. */
export function residentMb(pid: number): number {
  return statusField(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS') / 1024
}

/** Context switches of every thread of the process so far: each one is the thread waking up (or being woken). */
export function contextSwitches(pid: number): number {
  let total = 0
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8')
      total += statusField(status, 'voluntary_ctxt_switches') + statusField(status, 'nonvoluntary_ctxt_switches')
    } catch {
      // The thread ended meanwhile.
    }
  }
  return total
}
