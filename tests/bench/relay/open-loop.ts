// A fixed offered rate, whatever the server does ("open loop"): request i is due at start + i / rate and is
// fired as soon as the timer loop sees it due, never held back by slow answers. Latencies measured from the
// due time therefore include any queueing the system under test causes (no coordinated omission).
import { monotonicMs } from './monotonic-clock.ts'

export interface OpenLoopRun {
  startedMs: number
  /** How late, at worst, the loop fired a request (this process's own scheduling delay). */
  maxLateMs: number
}

export function runOpenLoop(count: number, ratePerSec: number, fire: (index: number, dueMs: number) => void): Promise<OpenLoopRun> {
  const intervalMs = 1000 / ratePerSec
  const startedMs = monotonicMs()
  let next = 0
  let maxLateMs = 0
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      try {
        const now = monotonicMs()
        // Bounded: at most `count` fires in all.
        while (next < count && startedMs + next * intervalMs <= now) {
          const dueMs = startedMs + next * intervalMs
          maxLateMs = Math.max(maxLateMs, now - dueMs)
          fire(next, dueMs)
          next++
        }
      } catch (error) {
        reject(error)
        return
      }
      if (next >= count) resolve({ startedMs, maxLateMs })
      else setTimeout(tick, Math.max(0, startedMs + next * intervalMs - monotonicMs()))
    }
    tick()
  })
}
