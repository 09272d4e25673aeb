// The app's keyboard shortcuts in one table: the handlers match key presses against it and the
// shortcut sheet (?) lists it, so what the sheet says is what the keys do. "Mod" is Cmd on macOS and
// Ctrl elsewhere. Single-key shortcuts work only while focus is not in a text field.

export type ShortcutId =
  | 'open-switcher'
  | 'focus-search'
  | 'shortcut-sheet'
  | 'previous-chat'
  | 'next-chat'
  | 'previous-unread'
  | 'next-unread'
  | 'view-inbox'
  | 'view-snoozed'
  | 'view-done'
  | 'reply'
  | 'love'
  | 'go-to-quoted'
  | 'interactive-parts'
  | 'mark-unread'
  | 'done'
  | 'snooze'
  | 'pin'
  | 'label'
  | 'select'
  | 'undo'
  | 'extend-selection'
  | 'clear-selection'
  | 'saved-replies'
  | 'send'

/** Where a shortcut is handled: anywhere in the inbox, in the chat list, or in the composer. */
export type ShortcutScope = 'app' | 'list' | 'composer'

export interface KeyCombo {
  /** `KeyboardEvent.key`, compared case-insensitively for letters. */
  key: string
  /**
   * `KeyboardEvent.code` that matches too, whatever character the key types: macOS's Option turns Q
   * into "œ".
   */
  code?: string
  mod?: boolean
  alt?: boolean
  /** true/false: Shift must be (not) held; 'any': the key itself implies it (e.g. "?"). */
  shift?: boolean | 'any'
}

export interface Shortcut {
  id: ShortcutId
  group: 'Move around' | 'Work the inbox' | 'Write'
  description: string
  scope: ShortcutScope
  /** Any of these presses. */
  combos: KeyCombo[]
  /** Works while typing in a text field (only combinations with Mod or Alt do). */
  whileTyping: boolean
}

export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)
export const MOD_LABEL = IS_MAC ? '⌘' : 'Ctrl'
const ALT_LABEL = IS_MAC ? '⌥' : 'Alt'

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'open-switcher', group: 'Move around', description: 'Go to a chat by name', scope: 'app', combos: [{ key: 'k', mod: true }], whileTyping: true },
  { id: 'focus-search', group: 'Move around', description: 'Search people and messages', scope: 'app', combos: [{ key: 'f', mod: true }], whileTyping: true },
  { id: 'previous-chat', group: 'Move around', description: 'Previous chat', scope: 'app', combos: [{ key: 'ArrowUp', alt: true }], whileTyping: true },
  { id: 'next-chat', group: 'Move around', description: 'Next chat', scope: 'app', combos: [{ key: 'ArrowDown', alt: true }], whileTyping: true },
  { id: 'previous-unread', group: 'Move around', description: 'Previous unread chat', scope: 'app', combos: [{ key: 'ArrowUp', alt: true, shift: true }], whileTyping: true },
  { id: 'next-unread', group: 'Move around', description: 'Next unread chat', scope: 'app', combos: [{ key: 'ArrowDown', alt: true, shift: true }], whileTyping: true },
  { id: 'view-inbox', group: 'Move around', description: 'Show the inbox', scope: 'app', combos: [{ key: '1' }], whileTyping: false },
  { id: 'view-snoozed', group: 'Move around', description: 'Show snoozed chats', scope: 'app', combos: [{ key: '2' }], whileTyping: false },
  { id: 'view-done', group: 'Move around', description: 'Show done chats', scope: 'app', combos: [{ key: '3' }], whileTyping: false },
  { id: 'shortcut-sheet', group: 'Move around', description: 'Show these keyboard shortcuts', scope: 'app', combos: [{ key: '?', shift: 'any' }], whileTyping: false },
  { id: 'done', group: 'Work the inbox', description: 'Mark done (one already done goes back to the inbox)', scope: 'app', combos: [{ key: 'e' }], whileTyping: false },
  { id: 'snooze', group: 'Work the inbox', description: 'Snooze until…', scope: 'app', combos: [{ key: 'h' }], whileTyping: false },
  { id: 'pin', group: 'Work the inbox', description: 'Pin or unpin', scope: 'app', combos: [{ key: 'p' }], whileTyping: false },
  { id: 'label', group: 'Work the inbox', description: 'Labels…', scope: 'app', combos: [{ key: 'l', shift: true }], whileTyping: false },
  { id: 'select', group: 'Work the inbox', description: 'Select or unselect the chat', scope: 'app', combos: [{ key: 'x' }], whileTyping: false },
  { id: 'extend-selection', group: 'Work the inbox', description: 'Select the next or previous chat too', scope: 'list', combos: [{ key: 'ArrowDown', shift: true }, { key: 'ArrowUp', shift: true }], whileTyping: false },
  { id: 'clear-selection', group: 'Work the inbox', description: 'Clear the selection (or the search, or close a dialog)', scope: 'app', combos: [{ key: 'Escape' }], whileTyping: true },
  { id: 'undo', group: 'Work the inbox', description: 'Undo the last action', scope: 'app', combos: [{ key: 'z' }], whileTyping: false },
  { id: 'mark-unread', group: 'Work the inbox', description: 'Mark the open chat unread', scope: 'app', combos: [{ key: 'u', mod: true, shift: true }], whileTyping: true },
  { id: 'reply', group: 'Write', description: 'Reply to the focused message, or their last one (quotes it in the message box)', scope: 'app', combos: [{ key: 'r' }], whileTyping: false },
  { id: 'love', group: 'Write', description: 'Love the focused message, or their last one', scope: 'app', combos: [{ key: 'l' }], whileTyping: false },
  { id: 'go-to-quoted', group: 'Write', description: 'Go to the message the focused one quotes', scope: 'app', combos: [{ key: 'q' }], whileTyping: false },
  { id: 'interactive-parts', group: 'Write', description: 'Quick replies and buttons for the message', scope: 'composer', combos: [{ key: 'q', code: 'KeyQ', alt: true }], whileTyping: true },
  { id: 'saved-replies', group: 'Write', description: 'Insert a saved reply (in an empty message box, or after a space)', scope: 'composer', combos: [{ key: '/' }], whileTyping: true },
  { id: 'send', group: 'Write', description: 'Send (Shift+Enter starts a new line)', scope: 'composer', combos: [{ key: 'Enter' }], whileTyping: true }
]

/** The fields of a KeyboardEvent the shortcuts read. */
export interface KeyPress {
  key: string
  code?: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

function modHeld(event: KeyPress): boolean {
  return IS_MAC ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey
}

function otherModHeld(event: KeyPress): boolean {
  return IS_MAC ? event.ctrlKey : event.metaKey
}

export function comboMatches(combo: KeyCombo, event: KeyPress): boolean {
  const sameKey =
    (combo.key.length === 1 ? event.key.toLowerCase() === combo.key.toLowerCase() : event.key === combo.key) ||
    (combo.code !== undefined && event.code === combo.code)
  if (!sameKey || otherModHeld(event)) return false
  if (modHeld(event) !== Boolean(combo.mod)) return false
  if (event.altKey !== Boolean(combo.alt)) return false
  return combo.shift === 'any' || event.shiftKey === Boolean(combo.shift)
}

/** The shortcut of `scope` this press means, if any. `typing`: focus is in a text field. */
export function shortcutOf(event: KeyPress, options: { scope?: ShortcutScope; typing?: boolean } = {}): ShortcutId | null {
  const scope = options.scope ?? 'app'
  for (const shortcut of SHORTCUTS) {
    if (shortcut.scope !== scope || (options.typing && !shortcut.whileTyping)) continue
    if (shortcut.combos.some((combo) => comboMatches(combo, event))) return shortcut.id
  }
  return null
}

export function shortcut(id: ShortcutId): Shortcut {
  return SHORTCUTS.find((s) => s.id === id)!
}

const KEY_LABELS: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc', Enter: 'Enter' }

/** The keys of a combination as a person reads them, e.g. ["Alt", "Shift", "↓"]. */
export function comboKeys(combo: KeyCombo): string[] {
  const keys: string[] = []
  if (combo.mod) keys.push(MOD_LABEL)
  if (combo.alt) keys.push(ALT_LABEL)
  if (combo.shift === true) keys.push('Shift')
  keys.push(KEY_LABELS[combo.key] ?? combo.key.toUpperCase())
  return keys
}

/** A shortcut's first combination in words, for titles: "E", "Ctrl+Shift+U". */
export function shortcutHint(id: ShortcutId): string {
  return comboKeys(shortcut(id).combos[0]).join('+')
}

/** Whether focus is somewhere typing goes (single-key shortcuts stay off there). */
export function isTextField(target: EventTarget | null | undefined): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  if (!(target instanceof HTMLInputElement)) return false
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type)
}
