// Keeps the demo inbox alive: at random intervals someone writes in (now and then a newcomer, a
// photo or a story mention), reacts to or takes back a reaction on one of the studio's messages,
// receives and reads the studio's messages, comments on one of the studio's recent posts (or answers
// a comment there), or rarely unsends something. Everything goes through the same control operations
// as the /_sim/ API, so the app sees ordinary webhooks (comment.created for comments).
// On a Messenger profile people are known by PSID and have no Instagram signals, there are no story
// mentions or unsends, and reactions are any of Messenger's emoji.
import type { Chat, Message } from '../../shared/postproxy.ts'
import type { InboundInput, PersonaOptions, SimMedia } from '../contracts.ts'
import { GLAZES, paintArtwork, type Glaze, type Scene } from './artwork.ts'
import { COMMENT_LINES, COMMENT_REPLY_LINES, FOLLOW_UP_LINES, OPENING_LINES, PHOTO_LINES } from './persona-lines.ts'
import { SeededRandom } from './prng.ts'
import { participantName } from './participant-names.ts'
import { ScenarioIds, scenarioIdNamespace } from './scenario-ids.ts'

/** Only the most recently active chats take part, as in a real inbox. */
const ACTIVE_CHATS = 12
const RECENT_MESSAGES = 20
/** People unsend right after writing, so only this recent an inbound message may be unsent. */
const UNSEND_WITHIN_MS = 15 * 60_000

/** Comments go on the studio's newest posts, as people see them in their feed. */
const RECENT_POSTS = 3
const RECENT_COMMENTS = 5

type Action = 'write' | 'newcomer' | 'story_mention' | 'reaction' | 'receipts' | 'unsend' | 'comment'

const ACTION_WEIGHTS: readonly [Action, number][] = [
  ['write', 0.34],
  ['newcomer', 0.09],
  ['story_mention', 0.04],
  ['reaction', 0.16],
  ['receipts', 0.27],
  ['unsend', 0.04],
  ['comment', 0.06]
]

const PHOTO_SCENES: readonly Scene[] = ['mug', 'bowl', 'vase', 'plate']
/** What people react with on Messenger (Instagram's participants heart, ❤️, the control API's default). */
const MESSENGER_REACTIONS: readonly string[] = ['👍', '❤️', '😆', '😮']
const GLAZE_NAMES = Object.keys(GLAZES) as Glaze[]

export interface RunningPersonas {
  stop(): void
}

class Personas {
  readonly #options: PersonaOptions
  readonly #random: SeededRandom
  readonly #ids: ScenarioIds
  #photos = 0

  constructor(options: PersonaOptions) {
    this.#options = options
    this.#random = new SeededRandom(options.seed, 'personas')
    this.#ids = new ScenarioIds(options.seed, scenarioIdNamespace('personas', options))
  }

  get #messenger(): boolean {
    return this.#options.platform === 'facebook'
  }

  nextDelayMs(): number {
    // Uniform jitter around the mean keeps the mean while never bunching actions at 0 ms.
    return Math.max(1, this.#options.meanIntervalMs * this.#random.between(0.4, 1.6))
  }

  act(): void {
    if (this.#perform(this.#pickAction())) return
    // Nothing to react to, read or unsend right now: someone writes instead.
    if (!this.#writeIn(false)) this.#newcomerWrites()
  }

  /** Whether the action found something to act on. */
  #perform(action: Action): boolean {
    switch (action) {
      case 'write':
        return this.#writeIn(false)
      case 'newcomer':
        return this.#newcomerWrites()
      case 'story_mention':
        return this.#writeIn(true)
      case 'reaction':
        return this.#toggleReaction()
      case 'receipts':
        return this.#readReceipts()
      case 'unsend':
        return this.#unsend()
      case 'comment':
        return this.#comment()
    }
  }

  #pickAction(): Action {
    let roll = this.#random.next()
    for (const [action, weight] of ACTION_WEIGHTS) {
      roll -= weight
      if (roll < 0) return action
    }
    return 'write'
  }

  #activeChats(): Chat[] {
    const { control, account, profileId } = this.#options
    return [...control.listChats(account, profileId)]
      .sort((a, b) => (b.last_message_at ?? b.created_at).localeCompare(a.last_message_at ?? a.created_at))
      .slice(0, ACTIVE_CHATS)
  }

  #recentMessages(chat: Chat): Message[] {
    return this.#options.control.listMessages(this.#options.account, chat.id, RECENT_MESSAGES)
  }

  #photo(format: 'square' | 'story'): SimMedia {
    this.#photos++
    const spec = {
      scene: this.#random.pick(PHOTO_SCENES),
      glaze: this.#random.pick(GLAZE_NAMES),
      backdrop: this.#random.pick(GLAZE_NAMES),
      format
    }
    return paintArtwork(spec, `${format === 'story' ? 'story' : 'photo'}-${this.#photos}.png`)
  }

  #inject(input: InboundInput): void {
    this.#options.control.injectInbound(this.#options.account, this.#options.profileId, input)
  }

  /** Someone already in the inbox writes again; sometimes with a photo, sometimes a story mention (Instagram). */
  #writeIn(storyMention: boolean): boolean {
    if (storyMention && this.#messenger) return false
    const chats = this.#activeChats()
    if (chats.length === 0) return false
    const chat = this.#random.pick(chats)
    const participant = {
      participant_external_id: chat.participant_external_id,
      participant_username: chat.participant_username ?? null,
      participant_name: chat.participant_name ?? null
    }
    if (storyMention) {
      this.#inject({ ...participant, story_mention: this.#photo('story') })
    } else if (this.#random.chance(0.15)) {
      const body = this.#random.pick(PHOTO_LINES)
      this.#inject({ ...participant, body: body === '' ? null : body, media: { ...this.#photo('square'), type: 'image' } })
    } else {
      this.#inject({ ...participant, body: this.#random.pick(FOLLOW_UP_LINES) })
    }
    return true
  }

  #newcomerWrites(): boolean {
    const person = participantName(this.#random)
    if (this.#messenger) {
      // Messenger gives a name and a page-scoped id; no handle, no signals.
      this.#inject({ participant_external_id: this.#ids.psid(), participant_name: person.name, body: this.#random.pick(OPENING_LINES) })
      return true
    }
    this.#inject({
      participant_external_id: this.#ids.participantId(),
      participant_username: person.username,
      participant_name: person.name,
      metadata: {
        is_verified_user: this.#random.chance(0.1),
        follower_count: Math.round(10 ** this.#random.between(1.5, 6)),
        is_user_follow_business: this.#random.chance(0.7),
        is_business_follow_user: false
      },
      body: this.#random.pick(OPENING_LINES)
    })
    return true
  }

  /** The participant hearts one of the studio's recent messages, or takes their heart back. */
  #toggleReaction(): boolean {
    for (const chat of this.#shuffled(this.#activeChats())) {
      const candidates = this.#recentMessages(chat).filter(
        (m) => m.direction === 'outbound' && m.status === 'published' && !m.external_deleted_at
      )
      if (candidates.length === 0) continue
      const message = this.#random.pick(candidates)
      const reacted = (message.reactions ?? []).some((r) => r.sender_external_id === chat.participant_external_id)
      const emoji = this.#messenger && !reacted ? this.#random.pick(MESSENGER_REACTIONS) : undefined
      this.#options.control.userReaction(this.#options.account, message.id, reacted ? 'unreact' : 'react', emoji)
      return true
    }
    return false
  }

  /** The participant's phone receives the studio's messages, then they open the chat and read them. */
  #readReceipts(): boolean {
    const { control, account } = this.#options
    for (const chat of this.#shuffled(this.#activeChats())) {
      const outbound = this.#recentMessages(chat).filter((m) => m.direction === 'outbound' && m.status === 'published')
      const undelivered = outbound.filter((m) => !m.external_delivered_at)
      const unread = outbound.filter((m) => m.external_delivered_at && !m.external_read_at)
      if (undelivered.length > 0) {
        for (const message of undelivered) control.markDelivered(account, message.id)
        return true
      }
      if (unread.length > 0) {
        for (const message of unread) control.markRead(account, message.id)
        return true
      }
    }
    return false
  }

  #unsend(): boolean {
    if (this.#messenger) return false // Meta reports unsends on Instagram only
    const now = this.#options.clock.now()
    for (const chat of this.#shuffled(this.#activeChats())) {
      const message = this.#recentMessages(chat).find(
        (m) =>
          m.direction === 'inbound' &&
          !m.external_deleted_at &&
          m.external_posted_at !== null &&
          m.external_posted_at !== undefined &&
          now - Date.parse(m.external_posted_at) <= UNSEND_WITHIN_MS
      )
      if (!message) continue
      this.#options.control.unsend(this.#options.account, message.id)
      return true
    }
    return false
  }

  /** Someone (a person in the inbox, or someone new) comments on a recent post, or answers a comment. */
  #comment(): boolean {
    const { control, account, profileId } = this.#options
    const posts = control.recentPosts(account, profileId, RECENT_POSTS)
    if (posts.length === 0) return false
    const post = this.#random.pick(posts)
    const chats = this.#activeChats()
    const regular = chats.length > 0 && this.#random.chance(0.5) ? this.#random.pick(chats) : null
    const person = regular
      ? { participant_external_id: regular.participant_external_id, participant_username: regular.participant_username ?? null, participant_name: regular.participant_name ?? null }
      : (() => {
          const name = participantName(this.#random)
          if (this.#messenger) return { participant_external_id: this.#ids.psid(), participant_username: null, participant_name: name.name }
          return { participant_external_id: this.#ids.participantId(), participant_username: name.username, participant_name: name.name }
        })()
    const others = this.#random.chance(0.3) ? control.recentComments(account, post.id, RECENT_COMMENTS) : []
    const parent = others.length > 0 ? this.#random.pick(others) : null
    control.createComment(account, profileId, {
      ...person,
      post_id: post.id,
      parent_id: parent?.id ?? null,
      text: this.#random.pick(parent ? COMMENT_REPLY_LINES : COMMENT_LINES)
    })
    return true
  }

  #shuffled<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random.next() * (i + 1))
      ;[items[i], items[j]] = [items[j], items[i]]
    }
    return items
  }
}

/**
 * Starts the personas on real, unref'd timers (they never keep a process alive). `stop()` cancels
 * the next action; a failing control call is skipped, never thrown.
 */
export function startPersonas(options: PersonaOptions): RunningPersonas {
  if (!Number.isFinite(options.meanIntervalMs) || options.meanIntervalMs <= 0) {
    throw new RangeError('meanIntervalMs must be a positive number of milliseconds.')
  }
  const personas = new Personas(options)
  let timer: NodeJS.Timeout | null = null
  let stopped = false

  const scheduleNext = (): void => {
    if (stopped) return
    timer = setTimeout(() => {
      timer = null
      if (stopped) return
      try {
        personas.act()
      } catch {
        // The demo must keep running: a chat removed by a reset or a message already unsent is not
        // worth a crash, and the next action picks fresh data anyway.
      }
      scheduleNext()
    }, personas.nextDelayMs())
    timer.unref()
  }
  scheduleNext()

  return {
    stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
    }
  }
}
