// What the business may react to a message with (`POST /api/messages/:id/react`, body
// `{reaction?, emoji?}` as the SDKs send it), per platform, and how a participant's emoji is named.
// The simulator answers 422 with these sentences and the app can check a reaction with the same
// function before sending it.
//
// Sources: POSTPROXY.md §5 and Postproxy's reference (react is "Facebook & Instagram"; Instagram
// accepts only `love`); Postproxy's official MCP server (`dm_message_react`: on Messenger the names
// love, like, dislike, smile, wow, sad, angry are translated to emoji, and `emoji` overrides
// `reaction` as the literal value sent); Meta's Messenger "Sender Actions" (a Page may react with any
// emoji) and `message_reactions` webhook (the names smile, angry, sad, wow, love, like, dislike, and
// `other` for any other emoji). Which emoji each name stands for is our assumption (simulator/README.md).
import { INSTAGRAM, MESSENGER, platformName } from './platforms.ts'

/** The platforms whose messages the business can react to. */
export const REACTION_PLATFORMS = [INSTAGRAM, MESSENGER] as const

export const LOVE = 'love'
export const LOVE_EMOJI = '❤️'

/** Messenger's named reactions and the emoji each is sent as. */
export const MESSENGER_REACTION_EMOJI: Readonly<Record<string, string>> = {
  love: LOVE_EMOJI,
  like: '👍',
  dislike: '👎',
  smile: '😆',
  wow: '😮',
  sad: '😢',
  angry: '😠'
}

/** Meta's name for a reaction that is none of the named ones. */
export const OTHER_REACTION = 'other'

export interface BusinessReactionInput {
  /** The chat's platform. */
  platform: string
  /** As given: undefined or null when absent (then `love`). */
  reaction?: unknown
  /** As given: a literal emoji (Messenger; ignored on Instagram, which has only ❤️). */
  emoji?: unknown
}

export type BusinessReactionCheck = { ok: true; value: { reaction: string; emoji: string } } | { ok: false; errors: string[] }

const EMOJI_SEQUENCE = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator})(?:\p{Emoji_Modifier}|\uFE0F|\u20E3|\u200D(?:\p{Extended_Pictographic}|\p{Regional_Indicator})|\p{Regional_Indicator})*$/u

/** Whether `text` is one emoji (with its modifiers, variation selector or ZWJ sequence), nothing else. */
export function isSingleEmoji(text: string): boolean {
  return EMOJI_SEQUENCE.test(text)
}

/** The name Meta gives a participant's reaction on the platform: Instagram knows only `love`. */
export function reactionNameForEmoji(emoji: string, platform: string): string {
  if (platform === MESSENGER) {
    const named = Object.entries(MESSENGER_REACTION_EMOJI).find(([, candidate]) => candidate === emoji)
    return named ? named[0] : OTHER_REACTION
  }
  return emoji === LOVE_EMOJI ? LOVE : OTHER_REACTION
}

/**
 * The business's reaction: on Instagram only `love` (❤️); on Messenger a named reaction, or any single
 * emoji in `emoji` (which wins over `reaction`); elsewhere 422 naming the platform.
 */
export function checkBusinessReaction(input: BusinessReactionInput): BusinessReactionCheck {
  const where = platformName(input.platform)
  if (!(REACTION_PLATFORMS as readonly string[]).includes(input.platform)) {
    return { ok: false, errors: [`Reacting to a message is possible on Instagram and Facebook Messenger only, not on ${where}.`] }
  }
  const requested = input.reaction ?? LOVE
  if (typeof requested !== 'string' || requested.trim() === '') return { ok: false, errors: ['Reaction must be text, such as "love".'] }

  if (input.platform === INSTAGRAM) {
    if (requested !== LOVE) return { ok: false, errors: [`Reaction must be "love" on Instagram, the only reaction it supports; "${requested}" is not.`] }
    return { ok: true, value: { reaction: LOVE, emoji: LOVE_EMOJI } }
  }

  if (input.emoji !== undefined && input.emoji !== null && input.emoji !== '') {
    if (typeof input.emoji !== 'string' || !isSingleEmoji(input.emoji)) {
      return { ok: false, errors: [`Emoji must be one emoji, such as "👍", on ${where}.`] }
    }
    return { ok: true, value: { reaction: reactionNameForEmoji(input.emoji, input.platform), emoji: input.emoji } }
  }
  const emoji = MESSENGER_REACTION_EMOJI[requested]
  if (!emoji) {
    const names = Object.keys(MESSENGER_REACTION_EMOJI).join(', ')
    return { ok: false, errors: [`Reaction must be one of ${names} on ${where}, or give any emoji in "emoji"; "${requested}" is not.`] }
  }
  return { ok: true, value: { reaction: requested, emoji } }
}
