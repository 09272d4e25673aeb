// The snooze alarm on a fake app clock: one timer for the earliest end, re-armed, long snoozes in steps,
// and a retry after a failed wake.
import { describe, expect, it } from 'vitest'
import { SnoozeAlarm } from '../../../electron/inbox/triage/snooze-alarm.ts'
import { FakeClock } from '../../support/fake-clock.ts'

function alarmWith(clock: FakeClock, ends: number[], options: { failOnce?: boolean } = {}) {
  const woken: number[] = []
  let fail = options.failOnce ?? false
  const alarm = new SnoozeAlarm({
    now: clock.now,
    timers: clock,
    nextWakeAt: () => (ends.length === 0 ? null : Math.min(...ends)),
    wakeDue: (now) => {
      if (fail) {
        fail = false
        throw new Error('disk busy')
      }
      const due = ends.filter((end) => end <= now)
      for (const end of due) ends.splice(ends.indexOf(end), 1)
      woken.push(...due)
      return due.map(String)
    }
  })
  return { alarm, woken }
}

describe('SnoozeAlarm', () => {
  it('keeps one timer, for the earliest end, and wakes each snooze at its time', () => {
    const clock = new FakeClock(1_000)
    const ends = [5_000, 3_000]
    const { alarm, woken } = alarmWith(clock, ends)
    expect(alarm.check()).toEqual([])
    expect(clock.pending).toBe(1)
    clock.advance(1_999)
    expect(woken).toEqual([])
    clock.advance(1)
    expect(woken).toEqual([3_000])
    expect(clock.pending).toBe(1)
    ends.push(4_000)
    alarm.rearm()
    expect(clock.pending).toBe(1)
    clock.advance(10_000)
    expect(woken).toEqual([3_000, 4_000, 5_000])
    expect(clock.pending).toBe(0)
  })

  it('reaches a snooze beyond the longest timer in steps', () => {
    const clock = new FakeClock(0)
    const far = 40 * 24 * 3_600_000
    const { alarm, woken } = alarmWith(clock, [far])
    alarm.check()
    clock.advance(far - 1)
    expect(woken).toEqual([])
    clock.advance(1)
    expect(woken).toEqual([far])
  })

  it('tries again a minute after a failed wake, and stops for good', () => {
    const clock = new FakeClock(0)
    const { alarm, woken } = alarmWith(clock, [0], { failOnce: true })
    expect(alarm.check()).toEqual([])
    expect(clock.pending).toBe(1)
    clock.advance(60_000)
    expect(woken).toEqual([0])
    alarm.stop()
    alarm.rearm()
    expect(clock.pending).toBe(0)
  })
})
