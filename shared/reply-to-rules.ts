// Answering one message with another (`reply_to_external_id`, POSTPROXY.md §5): only a message the
// platform has given an id can be quoted. The core refuses such a send and the thread refuses the
// "Reply" before anything is queued, in the same words, naming the chat's platform.
import { platformName } from './platforms.ts'

export const REPLY_TARGET_MISSING = "The message you're replying to isn't in this conversation any more. Remove the quote and send again."

/**
 * Why a message still sending (or failed) can't be quoted yet: "This message" shown on the message
 * itself, "That message" in a refused send.
 */
export function replyTargetPendingText(platform: string, which: 'This' | 'That' = 'That'): string {
  return `${which} message hasn't reached ${platformName(platform)} yet, so it can't be replied to. Wait until it shows Sent.`
}
