// Stops a send that the chat's platform (Instagram, Messenger) would refuse because of the messaging window, before it reaches the
// API, with a reason that says when the window closed and what is still possible: a private reply is
// offered only when the person has a comment of the last 7 days that can still take one.
import { describeDuration } from '../../../shared/durations.ts'
import { messagingWindow, type MessageTag } from '../../../shared/messaging-window.ts'
import { platformName } from '../../../shared/platforms.ts'

export type WindowVerdict = { ok: true } | { ok: false; reason: string }

export function checkSendWindow(
  lastInboundAt: string | null | undefined,
  participant: string,
  /** The chat's platform, whose rule the reason names. */
  platform: string,
  now: number,
  tag: MessageTag | null,
  /** How many of the person's comments can still take a private reply; asked only when the window is not open. */
  replyableComments: () => number
): WindowVerdict {
  const window = messagingWindow(lastInboundAt, now)
  const where = platformName(platform)
  switch (window.state) {
    case 'open':
    case 'closing_soon':
      return { ok: true }
    case 'never_opened': {
      const viaComment = replyableComments() > 0
      return {
        ok: false,
        reason: viaComment
          ? `${participant} hasn't messaged you yet, so ${where} won't deliver a message. You can reach them with a private reply to their recent comment.`
          : `${participant} hasn't messaged you yet, so ${where} won't deliver a message. You can write once they message you (none of their comments from the last 7 days can take a private reply).`
      }
    }
    case 'human_agent_only': {
      if (tag === 'HUMAN_AGENT') return { ok: true }
      const viaComment = replyableComments() > 0
      return {
        ok: false,
        reason:
          `The 24-hour messaging window closed ${describeDuration(now - window.closedAt)} ago. ` +
          `For another ${describeDuration(window.humanAgentClosesAt - now)} you can still send a human-agent reply ` +
          `(a person answering ${participant}'s question)${viaComment ? ', or reply privately to their recent comment' : ''}.`
      }
    }
    case 'closed': {
      const viaComment = replyableComments() > 0
      return {
        ok: false,
        reason:
          `The messaging window closed ${describeDuration(now - window.closedAt)} ago: ${where} accepts no messages until ` +
          `${participant} writes again.${viaComment ? ' A private reply to their recent comment still reaches them.' : ''}`
      }
    }
  }
}
