// Human wording for spans of time ("3 hours", "2 days"), shared by the core's messages and the UI.

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`
}

/** A span as a person says it, rounded down to its largest unit: "less than a minute", "5 minutes", "3 hours", "2 days". */
export function describeDuration(ms: number): string {
  const span = Math.abs(ms)
  if (span < MINUTE) return 'less than a minute'
  if (span < HOUR) return plural(Math.floor(span / MINUTE), 'minute')
  if (span < DAY) return plural(Math.floor(span / HOUR), 'hour')
  return plural(Math.floor(span / DAY), 'day')
}

/** A compact span for chips and list rows: "45m", "2h", "3d". */
export function shortDuration(ms: number): string {
  const span = Math.abs(ms)
  if (span < HOUR) return `${Math.max(1, Math.floor(span / MINUTE))}m`
  if (span < DAY) return `${Math.floor(span / HOUR)}h`
  return `${Math.floor(span / DAY)}d`
}
