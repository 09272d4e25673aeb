// How the interactive parts of a conversation read (POSTPROXY.md §9): a tap, a quote, the ad or link that
// brought someone, and which message an action is for. Plain text only: the components render it as text.
import type { ChatReferral, QuotedMessage, ThreadMessage } from '../../../../shared/inbox-api.ts'
import type { TappedAction } from '../../../../shared/postproxy-interactive.ts'
import { clockTime } from './relative-time.ts'

/** "Tapped «Track order»": what the participant tapped (a quick reply, a button, an ice breaker). */
export function tapText(tapped: TappedAction): string {
  return `Tapped «${tapped.title ?? tapped.payload ?? 'a button'}»`
}

/** "from ad spring-drop", "from link spring_drop": Meta's source words in a creator's. */
export function referralText(referral: ChatReferral): string {
  const source = referral.source?.toUpperCase()
  const kind = source === 'ADS' ? 'ad' : source === 'SHORTLINK' ? 'link' : source === 'CUSTOMER_CHAT_PLUGIN' ? 'website chat' : null
  const name = referral.ref ?? referral.source ?? ''
  return kind && referral.ref ? `from ${kind} ${name}` : `from ${name}`
}

/** Who wrote the quoted message, as the quote names them. */
export function quoteAuthor(quote: QuotedMessage, from: string): string {
  return quote.direction === 'outbound' ? 'You' : from
}

/** What a quote shows when the original's text can't be shown. */
export function quoteUnavailableText(quote: QuotedMessage): string {
  return quote.state === 'removed' ? 'Original message removed' : 'Original message not loaded'
}

const EXCERPT_CHARACTERS = 24
const ATTACHMENT_WORDS: Record<string, string> = {
  image: 'photo',
  video: 'video',
  audio: 'voice message',
  file: 'file',
  sticker: 'sticker',
  story_mention: 'story mention'
}

/** The first words, up to about EXCERPT_CHARACTERS, cut between words: "Do you ship to…". */
export function excerpt(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ')
  if (Array.from(flat).length <= EXCERPT_CHARACTERS) return flat
  let kept = ''
  for (const word of flat.split(' ')) {
    const next = kept === '' ? word : `${kept} ${word}`
    if (Array.from(next).length > EXCERPT_CHARACTERS) break
    kept = next
  }
  return `${kept === '' ? Array.from(flat).slice(0, EXCERPT_CHARACTERS).join('') : kept}…`
}

/** Which message an action is for, as a screen reader names it: “Do you ship to…”, the photo from 10:42. */
export function messageTarget(message: ThreadMessage): string {
  const text = message.body?.trim()
  if (text) return `“${excerpt(text)}”`
  const kind = message.attachments[0]?.type
  return `the ${kind ? (ATTACHMENT_WORDS[kind] ?? 'attachment') : 'message'} from ${clockTime(message.at)}`
}
