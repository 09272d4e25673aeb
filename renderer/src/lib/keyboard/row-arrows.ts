// A list of row buttons that behaves like a native list: one Tab stop (a roving tabindex, see tabStopOf),
// and Up/Down/Home/End move focus between the rows, so a keyboard user does not Tab through hundreds of
// rows to reach what is beside the list. Alt/Ctrl/Cmd/Shift combinations are left to the app's shortcuts.
export function moveBetweenRows(event: KeyboardEvent, rowSelector = 'button.row'): void {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
  const rows = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>(rowSelector)]
  const index = rows.indexOf(document.activeElement as HTMLElement)
  if (index < 0) return
  const target = ({ ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1 } as Record<string, number>)[event.key]
  if (target === undefined) return
  event.preventDefault()
  rows[Math.min(rows.length - 1, Math.max(0, target))]?.focus()
}

/** The row that takes the list's one Tab stop: the preferred one (open, or last focused) while listed, else the first. */
export function tabStopOf(ids: readonly string[], preferred: string | null): string | null {
  return preferred !== null && ids.includes(preferred) ? preferred : (ids[0] ?? null)
}

/** Whether a scrolled list is close enough to its end to load the next page. */
export function nearListEnd(event: Event, marginPx = 400): boolean {
  const el = event.currentTarget as HTMLElement
  return el.scrollHeight - el.scrollTop - el.clientHeight < marginPx
}
