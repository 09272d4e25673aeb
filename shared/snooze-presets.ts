// When "later today", "tomorrow morning" and "next week" are, in the creator's own time zone. The
// renderer offers them (with the time they stand for); the core only ever receives the instant.

export type SnoozePresetKey = 'later_today' | 'tomorrow_morning' | 'next_week'

export interface SnoozePreset {
  key: SnoozePresetKey
  label: string
  /** Epoch ms. */
  at: number
}

/** Hours ahead for "later today", rounded up to a full hour. */
const LATER_TODAY_HOURS = 3
/** When mornings begin. */
const MORNING_HOUR = 8
const MONDAY = 1

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
}

/** The presets that make sense at `nowMs` (no "later today" once that would be tomorrow). */
export function snoozePresets(nowMs: number): SnoozePreset[] {
  const now = new Date(nowMs)
  const presets: SnoozePreset[] = []

  const later = new Date(nowMs + LATER_TODAY_HOURS * 3_600_000)
  if (later.getMinutes() !== 0 || later.getSeconds() !== 0 || later.getMilliseconds() !== 0) later.setHours(later.getHours() + 1, 0, 0, 0)
  if (sameDay(later, now)) presets.push({ key: 'later_today', label: 'Later today', at: later.getTime() })

  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, MORNING_HOUR)
  presets.push({ key: 'tomorrow_morning', label: 'Tomorrow morning', at: tomorrow.getTime() })

  const daysToMonday = ((MONDAY - now.getDay() + 7) % 7) || 7
  const nextWeek = new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysToMonday, MORNING_HOUR)
  presets.push({ key: 'next_week', label: 'Next week', at: nextWeek.getTime() })
  return presets
}
