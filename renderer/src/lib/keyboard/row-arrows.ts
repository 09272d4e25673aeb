// Up/Down move focus between the row buttons of a list, as in a native list (Alt/Ctrl/Cmd combinations are
// left to the app's shortcuts).
export function moveBetweenRows(event: KeyboardEvent, rowSelector = 'button.row'): void {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
  if (event.altKey || event.ctrlKey || event.metaKey) return
  const rows = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLElement>(rowSelector)]
  const index = rows.indexOf(document.activeElement as HTMLElement)
  if (index < 0) return
  event.preventDefault()
  rows[Math.min(rows.length - 1, Math.max(0, index + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus()
}

/** Whether a scrolled list is close enough to its end to load the next page. */
export function nearListEnd(event: Event, marginPx = 400): boolean {
  const el = event.currentTarget as HTMLElement
  return el.scrollHeight - el.scrollTop - el.clientHeight < marginPx
}
