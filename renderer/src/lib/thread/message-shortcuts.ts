// Which message a keyboard shortcut acts on (R reply, L love): the one whose row has focus, else the
// participant's newest one that the action can apply to.
import type { ThreadMessage } from '../../../../shared/inbox-api.ts'

/** The message whose row holds `active` (focus is on one of its actions), if any. */
export function focusedMessage(messages: readonly ThreadMessage[], active: Element | null): ThreadMessage | null {
  const row = active?.closest?.<HTMLElement>('[data-message-row]')
  const id = row?.dataset.messageRow
  return id ? (messages.find((m) => m.id === id) ?? null) : null
}

/** For R: the focused message, else their newest message Instagram knows (one with an external id). */
export function messageToReplyTo(messages: readonly ThreadMessage[], active: Element | null): ThreadMessage | null {
  return focusedMessage(messages, active) ?? messages.findLast((m) => m.direction === 'inbound' && !m.isDeleted && m.externalId !== null) ?? null
}

/** For L: the focused message if it is theirs, else their newest message. */
export function messageToLove(messages: readonly ThreadMessage[], active: Element | null): ThreadMessage | null {
  const focused = focusedMessage(messages, active)
  if (focused) return focused.direction === 'inbound' && !focused.isDeleted ? focused : null
  return messages.findLast((m) => m.direction === 'inbound' && !m.isDeleted) ?? null
}
