// Times as a messenger shows them: compact and relative in lists, clock times in threads.
import { describeDuration, shortDuration } from '../../../../shared/durations.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const WEEK = 7 * DAY

const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })
const monthDayYear = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' })
const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' })
const weekdayDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' })
const weekdayDateYear = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' })

/** "now", "5m", "3h", "4d", then a date: for chat rows and search hits. */
export function compactRelativeTime(iso: string | null, now: number): string {
  if (!iso) return ''
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return ''
  const age = now - at
  if (age < MINUTE) return 'now'
  if (age < WEEK) return shortDuration(age)
  return new Date(at).getFullYear() === new Date(now).getFullYear() ? monthDay.format(at) : monthDayYear.format(at)
}

/** The same moment in words, for screen readers: "just now", "5 minutes ago", "3 days ago", then "on Mar 4". */
export function spokenRelativeTime(iso: string, now: number): string {
  const at = Date.parse(iso)
  if (Number.isNaN(at)) return ''
  const age = now - at
  if (age < MINUTE) return 'just now'
  if (age < WEEK) return `${describeDuration(age)} ago`
  return `on ${compactRelativeTime(iso, now)}`
}

export function clockTime(iso: string): string {
  return clock.format(Date.parse(iso))
}

export function fullTimestamp(iso: string): string {
  return full.format(Date.parse(iso))
}

function startOfDay(ms: number): number {
  const d = new Date(ms)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

/** "Today", "Yesterday", "Monday, March 4": the divider between days in a thread. */
export function dayLabel(iso: string, now: number): string {
  const at = Date.parse(iso)
  const days = Math.round((startOfDay(now) - startOfDay(at)) / DAY)
  if (days === 0) return 'Today'
  if (days === 1) return 'Yesterday'
  return new Date(at).getFullYear() === new Date(now).getFullYear() ? weekdayDate.format(at) : weekdayDateYear.format(at)
}

export function sameDay(a: string, b: string): boolean {
  return startOfDay(Date.parse(a)) === startOfDay(Date.parse(b))
}
