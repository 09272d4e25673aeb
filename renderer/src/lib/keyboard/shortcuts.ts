// The app's keyboard shortcuts, matched in one place so the help text and the handlers agree.
// "Mod" is Cmd on macOS and Ctrl elsewhere.

export type Shortcut =
  | 'open-switcher'
  | 'previous-chat'
  | 'next-chat'
  | 'mark-unread'
  | 'focus-search'
  | 'reply'
  | 'love'
  | 'go-to-quoted'
  | 'interactive-parts'

export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)
export const MOD_LABEL = IS_MAC ? '⌘' : 'Ctrl'

function mod(event: KeyPress): boolean {
  return IS_MAC ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey
}

/** The fields of a KeyboardEvent the shortcuts read. */
type KeyPress = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'> & { code?: string; target?: EventTarget | null }

export function shortcutOf(event: KeyPress): Shortcut | null {
  const key = event.key.toLowerCase()
  // Single keys act on the thread, never while typing.
  if (!event.ctrlKey && !event.metaKey && !event.altKey && !event.shiftKey && !isTextField(event.target)) {
    if (key === 'r') return 'reply'
    if (key === 'l') return 'love'
    if (key === 'q') return 'go-to-quoted'
  }
  // Alt+Q, typing included (the composer's quick replies and buttons); by its code, as macOS's Option types "œ".
  if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && (key === 'q' || event.code === 'KeyQ')) return 'interactive-parts'
  if (mod(event) && !event.shiftKey && !event.altKey && key === 'k') return 'open-switcher'
  if (mod(event) && event.shiftKey && !event.altKey && key === 'u') return 'mark-unread'
  if (mod(event) && !event.shiftKey && !event.altKey && key === 'f') return 'focus-search'
  if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
    if (event.key === 'ArrowUp') return 'previous-chat'
    if (event.key === 'ArrowDown') return 'next-chat'
  }
  return null
}

/** Whether focus is somewhere typing goes (single-key shortcuts stay off there). */
export function isTextField(target: EventTarget | null | undefined): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (!(target instanceof HTMLInputElement)) return false
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type)
}
