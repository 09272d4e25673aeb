// The keys of a search box that drives a listbox (the chat switcher, the saved-reply picker): Up and
// Down move the active option, Enter chooses it, Esc closes; focus stays in the search box throughout.

export type ListboxKeyResult = { active: number; choose: boolean; close: boolean }

/** What a key press in the search box means for the list, or null when it is typing. */
export function listboxKey(key: string, active: number, count: number): ListboxKeyResult | null {
  if (key === 'ArrowDown') return { active: Math.max(0, Math.min(count - 1, active + 1)), choose: false, close: false }
  if (key === 'ArrowUp') return { active: Math.max(0, active - 1), choose: false, close: false }
  if (key === 'Enter') return { active, choose: true, close: false }
  // A search field's own Esc only clears its text; here Esc closes, as the dialog's help line says.
  if (key === 'Escape') return { active, choose: false, close: true }
  return null
}
