// The messaging window (shared/messaging-window.ts) in words: a short chip for chat rows, a sentence
// for the thread header, and what the composer can still do.
import { describeDuration, shortDuration } from '../../../../shared/durations.ts'
import { messagingWindow, type MessagingWindow } from '../../../../shared/messaging-window.ts'
import { platformName } from '../../../../shared/platforms.ts'

export type WindowTone = 'open' | 'closing' | 'closed'

export interface WindowChip {
  text: string
  /** What a screen reader says for it: words, not "2h" (which it reads as a letter). */
  spoken: string
  tone: WindowTone
}

export function windowOf(lastInboundAt: string | null, now: number): MessagingWindow {
  return messagingWindow(lastInboundAt, now)
}

/** "Open", "Closes in 2h", "Closed"; null when the participant never wrote (no window to show). */
export function windowChip(window: MessagingWindow, now: number): WindowChip | null {
  switch (window.state) {
    case 'open':
      return { text: 'Open', spoken: 'messaging window open', tone: 'open' }
    case 'closing_soon':
      return {
        text: `Closes in ${shortDuration(window.closesAt - now)}`,
        spoken: `messaging window closes in ${describeDuration(window.closesAt - now)}`,
        tone: 'closing'
      }
    case 'human_agent_only':
    case 'closed':
      return { text: 'Closed', spoken: 'messaging window closed', tone: 'closed' }
    case 'never_opened':
      return null
  }
}

/** "Messaging window open · closes in 5 hours", "Messaging window closed 3 days ago". */
export function windowSentence(window: MessagingWindow, now: number): string {
  switch (window.state) {
    case 'open':
    case 'closing_soon':
      return `Messaging window open · closes in ${describeDuration(window.closesAt - now)}`
    case 'human_agent_only':
      return `Messaging window closed ${describeDuration(now - window.closedAt)} ago · human-agent replies possible for ${describeDuration(window.humanAgentClosesAt - now)}`
    case 'closed':
      return `Messaging window closed ${describeDuration(now - window.closedAt)} ago`
    case 'never_opened':
      return "Messaging window not open: they haven't written to you yet"
  }
}

export function windowTone(window: MessagingWindow): WindowTone {
  if (window.state === 'open') return 'open'
  if (window.state === 'closing_soon' || window.state === 'human_agent_only') return 'closing'
  return 'closed'
}

/**
 * Why the composer can't send a normal reply right now, and what is still possible, naming the chat's
 * platform (whose rule it is); null when it can. `replyableComments`: how many of the person's recent comments can still take a private reply (null while
 * unknown). That way is offered only when there is one: never a path that isn't there.
 */
export function composerRestriction(window: MessagingWindow, now: number, platform: string, replyableComments: number | null = null): string | null {
  const where = platformName(platform)
  const viaComment = replyableComments !== null && replyableComments > 0
  switch (window.state) {
    case 'open':
    case 'closing_soon':
      return null
    case 'human_agent_only':
      return `${where} only allows normal replies within 24 hours of their last message, and that window closed ${describeDuration(now - window.closedAt)} ago. A person on your team can still answer with a human-agent reply for another ${describeDuration(window.humanAgentClosesAt - now)}.${viaComment ? ' Or send a private reply to their recent comment, below.' : ''}`
    case 'closed':
      return `You can't reply here: ${where} allows replies only within 24 hours of their last message, or 7 days for a human-agent reply, and the window closed ${describeDuration(now - window.closedAt)} ago. You can write again as soon as they message you${viaComment ? ', or send a private reply to their recent comment below.' : '.'}`
    case 'never_opened':
      return `You can't message them yet: ${where} lets you write only after they message you, or through a private reply to one of their comments.${viaComment ? ' They have a recent comment you can answer below.' : replyableComments === 0 ? ' None of their comments from the last 7 days can take one.' : ''}`
  }
}
