// Stops a send that Instagram would refuse because of the messaging window, before it reaches the
// API, with a reason that says when the window closed and what is still possible.
import { describeDuration } from '../../../shared/durations.ts'
import { messagingWindow, type MessageTag } from '../../../shared/messaging-window.ts'

export type WindowVerdict = { ok: true } | { ok: false; reason: string }

export function checkSendWindow(
  lastInboundAt: string | null | undefined,
  participant: string,
  now: number,
  tag: MessageTag | null
): WindowVerdict {
  const window = messagingWindow(lastInboundAt, now)
  switch (window.state) {
    case 'open':
    case 'closing_soon':
      return { ok: true }
    case 'never_opened':
      return {
        ok: false,
        reason: `${participant} hasn't messaged you yet, so Instagram won't deliver a message. You can reach them with a private reply to one of their comments.`
      }
    case 'human_agent_only':
      if (tag === 'HUMAN_AGENT') return { ok: true }
      return {
        ok: false,
        reason:
          `The 24-hour messaging window closed ${describeDuration(now - window.closedAt)} ago. ` +
          `For another ${describeDuration(window.humanAgentClosesAt - now)} you can still send a human-agent reply ` +
          `(a person answering ${participant}'s question), or reply privately to one of their comments.`
      }
    case 'closed':
      return {
        ok: false,
        reason:
          `The messaging window closed ${describeDuration(now - window.closedAt)} ago: Instagram accepts no messages until ` +
          `${participant} writes again. A private reply to one of their comments from the last 7 days still reaches them.`
      }
  }
}
