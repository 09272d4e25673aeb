// Deterministic identifiers for scenario data: opaque-looking like Postproxy's hashids, the same for
// the same seed, and never repeated within one generator (each is a bijection of a counter, so even
// a million messages cannot collide).
//
// The simulator's ids are global, like Postproxy's, and several accounts may load the same scenario
// with the same seed, so the account and profile are part of the namespace (`scenarioIdNamespace`).
import type { ScenarioOptions } from '../contracts.ts'
import { mix32, seedFrom } from './prng.ts'

/** One id space per scenario, account and profile. */
export function scenarioIdNamespace(scenario: string, options: Pick<ScenarioOptions, 'account' | 'profileId'>): string {
  return `${scenario}|${options.account}|${options.profileId}`
}

export type ScenarioIdKind = 'chat' | 'msg' | 'att' | 'med' | 'cmt' | 'post' | 'story' | 'prof' | 'pg'

// Number#toString(36) is slow enough to dominate a million-message scenario, so a 32-bit value is
// spelled in base 32 (lowercase letters and digits) through a table of every 10-bit pair.
const BASE32 = '0123456789abcdefghijklmnopqrstuv'
const PAIRS: readonly string[] = Array.from({ length: 1024 }, (_, i) => BASE32[i >> 5] + BASE32[i & 31])

/** Seven characters for a 32-bit value. */
function token32(value: number): string {
  return BASE32[value >>> 30] + PAIRS[(value >>> 20) & 1023] + PAIRS[(value >>> 10) & 1023] + PAIRS[value & 1023]
}

function digits(value: number, length: number): string {
  return value.toString().padStart(length, '0').slice(-length)
}

class Sequence {
  #next = 0
  readonly #key: number
  readonly #tail: number

  constructor(key: number) {
    this.#key = key
    this.#tail = mix32(key ^ 0x9e3779b9)
  }

  /** A 32-bit value unique for each call (until 2^32 calls), and a second one that merely looks random. */
  take(): [unique: number, noise: number] {
    const unique = mix32((this.#next++ + this.#key) >>> 0)
    return [unique, mix32(unique ^ this.#tail)]
  }
}

export class ScenarioIds {
  readonly #seed: number
  readonly #sequences = new Map<string, Sequence>()

  constructor(seed: number, namespace = 'scenario') {
    this.#seed = seedFrom(seed, namespace)
  }

  #sequence(name: string): Sequence {
    let sequence = this.#sequences.get(name)
    if (!sequence) {
      sequence = new Sequence(seedFrom(this.#seed, name))
      this.#sequences.set(name, sequence)
    }
    return sequence
  }

  /** `chat_…`, `msg_…`, `att_…`, … */
  next(kind: ScenarioIdKind): string {
    const [unique, noise] = this.#sequence(kind).take()
    return `${kind}_${token32(unique)}${token32(noise)}`
  }

  /** A Meta message id (`external_id`): `mid.…`. */
  metaMessageId(): string {
    const [unique, noise] = this.#sequence('mid').take()
    return `mid.${token32(unique)}${token32(noise)}${token32(mix32(noise))}`
  }

  /** A participant's Instagram-scoped id: `igsid_` and 16 digits. */
  participantId(): string {
    const [unique, noise] = this.#sequence('igsid').take()
    return `igsid_${digits(unique, 10)}${digits(noise, 6)}`
  }

  /** A Messenger message id (`external_id`): `m_…`. */
  messengerMessageId(): string {
    const [unique, noise] = this.#sequence('m_').take()
    return `m_${token32(unique)}${token32(noise)}${token32(mix32(noise))}${token32(mix32(unique ^ noise))}`
  }

  /** A participant's Page-scoped id on Messenger (PSID): 16 digits, as Meta's examples show them. */
  psid(): string {
    const [unique, noise] = this.#sequence('psid').take()
    return `${1 + (noise % 9)}${digits(unique, 10)}${digits(mix32(noise), 5)}`
  }

  /** A Facebook Page's id: 15 digits starting 1. */
  facebookPageId(): string {
    const [unique, noise] = this.#sequence('fb_page').take()
    return `10${digits(unique, 9)}${digits(noise, 4)}`
  }

  /** A Page post's id: `<page id>_<post number>`. */
  facebookPostId(pageId: string): string {
    const [unique, noise] = this.#sequence('fb_post').take()
    return `${pageId}_${1 + (noise % 9)}${digits(unique, 10)}${digits(mix32(noise), 5)}`
  }

  /** A comment's id on a Page post: `<post number>_<comment number>`. */
  facebookCommentId(postExternalId: string): string {
    const [unique, noise] = this.#sequence('fb_comment').take()
    return `${postExternalId.split('_').pop()}_${1 + (noise % 9)}${digits(unique, 10)}${digits(mix32(noise), 5)}`
  }

  /** A TikTok video's id: 19 digits starting 7. */
  tiktokVideoId(): string {
    const [unique, noise] = this.#sequence('tiktok').take()
    return `7${digits(unique, 10)}${digits(noise, 8)}`
  }

  /** Meta's conversation id (`external_conversation_id`). */
  conversationId(): string {
    const [unique, noise] = this.#sequence('conversation').take()
    return `t_${token32(unique)}${token32(noise)}`
  }

  /** Instagram's id for a comment: 17 digits starting 178. */
  instagramCommentId(): string {
    const [unique, noise] = this.#sequence('ig_comment').take()
    return `178${digits(unique, 10)}${digits(noise, 4)}`
  }

  /** Instagram's id for a post (media object): 17 digits starting 179. */
  instagramMediaId(): string {
    const [unique, noise] = this.#sequence('ig_media').take()
    return `179${digits(unique, 10)}${digits(noise, 4)}`
  }

  /** The 11-character code of a post's permalink. */
  shortcode(): string {
    const [unique, noise] = this.#sequence('shortcode').take()
    return `${token32(unique)}${token32(noise)}`.slice(0, 11)
  }
}
