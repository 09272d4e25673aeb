// Identifiers the simulator mints. Postproxy's ids are opaque prefixed hashids (`chat_…`, `msg_…`);
// Meta's message ids start with `mid.`. Random, not sequential, so a client cannot lean on their order.
import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function randomToken(length: number): string {
  const bytes = randomBytes(length)
  let out = ''
  // 62 does not divide 256; the slight bias is irrelevant for ids that only need to be unique.
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % ALPHABET.length]
  return out
}

export type IdPrefix = 'acct' | 'prof' | 'pg' | 'chat' | 'msg' | 'att' | 'med' | 'cmt' | 'post' | 'req'

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomToken(16)}`
}

/** A Meta message id, as Postproxy reports it in `external_id`: Messenger's read `m_…`, Instagram's `mid.…`. */
export function newMetaMessageId(platform = 'instagram'): string {
  return platform === 'facebook' ? `m_${randomToken(40)}` : `mid.${randomToken(24)}`
}

/** A Meta conversation id (`external_conversation_id`), known once the participant has written. */
export function newConversationId(): string {
  return `t_${randomToken(20)}`
}

function randomDigits(length: number): string {
  const bytes = randomBytes(length)
  let out = ''
  for (let i = 0; i < length; i++) out += String(bytes[i] % 10)
  return out
}

/** Instagram's id for a comment: a 17-digit number (as a string), like `17858893269123456`. */
export function newInstagramCommentId(): string {
  return `178${randomDigits(14)}`
}

/** Instagram's id for a post (a media object): a 17-digit number, like `17912345678901234`. */
export function newInstagramMediaId(): string {
  return `179${randomDigits(14)}`
}

/** The platform's own id for a newly connected account: a Page id, an Instagram business id, a number elsewhere. */
export function newPlatformAccountId(platform: string): string {
  if (platform === 'facebook') return `10${randomDigits(13)}`
  if (platform === 'instagram') return `17841${randomDigits(10)}`
  return randomDigits(platform === 'tiktok' ? 19 : 12)
}

/** A Facebook Page post's id: `<page id>_<post number>`. */
export function newFacebookPostId(pageId: string): string {
  return `${pageId}_1${randomDigits(15)}`
}

/** A comment's id on a Facebook Page post: `<post number>_<comment number>`. */
export function newFacebookCommentId(postExternalId: string): string {
  return `${postExternalId.split('_').pop()}_1${randomDigits(15)}`
}

/** The 11-character code in a post's permalink (`instagram.com/p/<code>/`). */
export function newShortcode(): string {
  return randomToken(11)
}

export function newApiKey(): string {
  return `sk_sim_${randomToken(32)}`
}
