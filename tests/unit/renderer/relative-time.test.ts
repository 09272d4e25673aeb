import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadRelativeTime } from './renderer-modules.ts'

const { compactRelativeTime, dayLabel, sameDay, spokenRelativeTime } = await loadRelativeTime()

const SECOND = 1_000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** Local wall-clock times, so "today" and "yesterday" hold in whatever time zone the tests run. */
function local(year: number, month: number, day: number, hour = 12, minute = 0): Date {
  return new Date(year, month - 1, day, hour, minute)
}

describe('compactRelativeTime', () => {
  const now = local(2025, 6, 15, 12).getTime()
  const ago = (ms: number) => new Date(now - ms).toISOString()

  it('shows nothing for a missing or unreadable time', () => {
    expect(compactRelativeTime(null, now)).toBe('')
    expect(compactRelativeTime('', now)).toBe('')
    expect(compactRelativeTime('yesterday-ish', now)).toBe('')
  })

  it('says "now" under a minute, and for times slightly in the future (clock skew)', () => {
    expect(compactRelativeTime(ago(0), now)).toBe('now')
    expect(compactRelativeTime(ago(59 * SECOND), now)).toBe('now')
    expect(compactRelativeTime(ago(-3 * MINUTE), now)).toBe('now')
  })

  it('counts minutes, hours and days, rounded down, for the last week', () => {
    const cases: [number, string][] = [
      [MINUTE, '1m'],
      [59 * MINUTE + 59 * SECOND, '59m'],
      [HOUR, '1h'],
      [23 * HOUR + 59 * MINUTE, '23h'],
      [DAY, '1d'],
      [6 * DAY + 23 * HOUR, '6d']
    ]
    for (const [age, text] of cases) expect(compactRelativeTime(ago(age), now), `${age} ms ago`).toBe(text)
  })

  it('shows a date from a week on, with the year only when it is not this year', () => {
    const lastMonth = compactRelativeTime(local(2025, 5, 3).toISOString(), now)
    expect(lastMonth).toMatch(/\b3\b/)
    expect(lastMonth).not.toContain('2025')
    expect(lastMonth).not.toMatch(/\d+[mhd]$/)
    const lastYear = compactRelativeTime(local(2024, 11, 20).toISOString(), now)
    expect(lastYear).toContain('2024')
    expect(lastYear).toMatch(/\b20\b/)
  })
})

describe('dayLabel and sameDay', () => {
  const now = local(2025, 6, 15, 9).getTime()

  it('labels today and yesterday by the local calendar, not by 24-hour spans', () => {
    expect(dayLabel(local(2025, 6, 15, 0, 1).toISOString(), now)).toBe('Today')
    expect(dayLabel(local(2025, 6, 15, 23, 59).toISOString(), now)).toBe('Today')
    expect(dayLabel(local(2025, 6, 14, 23, 59).toISOString(), now)).toBe('Yesterday')
    expect(dayLabel(local(2025, 6, 14, 0, 0).toISOString(), now)).toBe('Yesterday')
  })

  it('names older days by weekday and date, adding the year for another year', () => {
    const older = dayLabel(local(2025, 6, 13).toISOString(), now)
    expect(older).not.toMatch(/Today|Yesterday/)
    expect(older).toMatch(/\b13\b/)
    expect(older).not.toContain('2025')
    const lastYear = dayLabel(local(2024, 12, 31).toISOString(), local(2025, 1, 1, 10).getTime())
    expect(lastYear).toBe('Yesterday')
    expect(dayLabel(local(2024, 12, 30).toISOString(), local(2025, 1, 1, 10).getTime())).toContain('2024')
  })

  it('tells whether two messages fall on the same local day', () => {
    expect(sameDay(local(2025, 6, 15, 0, 0).toISOString(), local(2025, 6, 15, 23, 59).toISOString())).toBe(true)
    expect(sameDay(local(2025, 6, 14, 23, 59).toISOString(), local(2025, 6, 15, 0, 0).toISOString())).toBe(false)
  })

  describe('across daylight-saving changes (America/New_York)', () => {
    const originalTz = process.env.TZ
    beforeAll(() => {
      process.env.TZ = 'America/New_York'
    })
    afterAll(() => {
      if (originalTz === undefined) delete process.env.TZ
      else process.env.TZ = originalTz
    })

    it('still says "Yesterday" over the 23-hour and the 25-hour day', () => {
      // Node applies a changed TZ at once; check it took, or this test would prove nothing.
      expect(local(2024, 1, 15).getTimezoneOffset()).toBe(300)
      expect(local(2024, 7, 15).getTimezoneOffset()).toBe(240)
      // Spring forward: March 10, 2024 has 23 hours.
      expect(dayLabel(local(2024, 3, 9, 23, 30).toISOString(), local(2024, 3, 10, 23, 30).getTime())).toBe('Yesterday')
      expect(dayLabel(local(2024, 3, 10, 0, 30).toISOString(), local(2024, 3, 11, 0, 10).getTime())).toBe('Yesterday')
      // Fall back: November 3, 2024 has 25 hours.
      expect(dayLabel(local(2024, 11, 2, 0, 30).toISOString(), local(2024, 11, 3, 23, 30).getTime())).toBe('Yesterday')
      expect(dayLabel(local(2024, 11, 3, 0, 30).toISOString(), local(2024, 11, 3, 23, 30).getTime())).toBe('Today')
      expect(sameDay(local(2024, 11, 3, 0, 30).toISOString(), local(2024, 11, 3, 23, 30).toISOString())).toBe(true)
    })
  })
})

describe('spokenRelativeTime', () => {
  const now = local(2025, 6, 15, 12).getTime()
  const ago = (ms: number) => new Date(now - ms).toISOString()

  it('says in words what compactRelativeTime abbreviates (a screen reader reads "2h" as "2 h")', () => {
    expect(spokenRelativeTime(ago(10 * SECOND), now)).toBe('just now')
    expect(spokenRelativeTime(ago(-3 * MINUTE), now)).toBe('just now')
    expect(spokenRelativeTime(ago(MINUTE), now)).toBe('1 minute ago')
    expect(spokenRelativeTime(ago(3 * HOUR), now)).toBe('3 hours ago')
    expect(spokenRelativeTime(ago(6 * DAY), now)).toBe('6 days ago')
  })

  it('gives the date after a week, as the row shows it, and nothing for an unreadable time', () => {
    expect(spokenRelativeTime(ago(30 * DAY), now)).toBe(`on ${compactRelativeTime(ago(30 * DAY), now)}`)
    expect(spokenRelativeTime('not a date', now)).toBe('')
  })
})
