// Meta's messaging window (POSTPROXY.md §5): free-form sends within 24 h of the participant's last
// inbound message; HUMAN_AGENT-tagged sends within 7 days. The simulator enforces these rules and the
// app shows them, so both read them from here.

export const HOUR_MS = 60 * 60 * 1000
export const STANDARD_WINDOW_MS = 24 * HOUR_MS
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS
/** The app warns once less than this is left of the standard window. */
export const CLOSING_SOON_MS = 2 * HOUR_MS
/** A private reply to a comment is allowed up to 7 days after the comment. */
export const PRIVATE_REPLY_WINDOW_MS = 7 * 24 * HOUR_MS

export const MESSAGE_TAGS = ['HUMAN_AGENT'] as const
export type MessageTag = (typeof MESSAGE_TAGS)[number]

export type MessagingWindow =
  /** The participant never wrote: only a private reply to one of their comments can reach them. */
  | { state: 'never_opened' }
  | { state: 'open'; closesAt: number }
  | { state: 'closing_soon'; closesAt: number }
  /** The 24 h window closed; a HUMAN_AGENT reply is still allowed until `humanAgentClosesAt`. */
  | { state: 'human_agent_only'; closedAt: number; humanAgentClosesAt: number }
  | { state: 'closed'; closedAt: number }

function toMs(timestamp: string | number | null | undefined): number | null {
  if (timestamp === null || timestamp === undefined) return null
  const ms = typeof timestamp === 'number' ? timestamp : Date.parse(timestamp)
  return Number.isNaN(ms) ? null : ms
}

export function messagingWindow(lastInboundAt: string | number | null | undefined, now: number): MessagingWindow {
  const inbound = toMs(lastInboundAt)
  if (inbound === null) return { state: 'never_opened' }
  const closesAt = inbound + STANDARD_WINDOW_MS
  const humanAgentClosesAt = inbound + HUMAN_AGENT_WINDOW_MS
  if (now < closesAt) return now >= closesAt - CLOSING_SOON_MS ? { state: 'closing_soon', closesAt } : { state: 'open', closesAt }
  if (now < humanAgentClosesAt) return { state: 'human_agent_only', closedAt: closesAt, humanAgentClosesAt }
  return { state: 'closed', closedAt: closesAt }
}

/** Whether a free-form send (or a HUMAN_AGENT one, with `tag`) is allowed now. */
export function isWithinWindow(
  lastInboundAt: string | number | null | undefined,
  now: number,
  tag?: MessageTag | null
): boolean {
  const inbound = toMs(lastInboundAt)
  if (inbound === null) return false
  return now < inbound + (tag === 'HUMAN_AGENT' ? HUMAN_AGENT_WINDOW_MS : STANDARD_WINDOW_MS)
}

/** Meta's wording for a send outside the window (code 10, subcode 2018278). */
export const OUTSIDE_WINDOW_ERROR = '(#10) This message is sent outside of allowed window'
export const OUTSIDE_WINDOW_CODE = 10
export const OUTSIDE_WINDOW_SUBCODE = 2018278
