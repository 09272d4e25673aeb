// The demo inbox: DEMO_CHATS (demo-script.ts) turned into Postproxy objects, placed in time relative
// to the simulated clock so that every messaging-window state is on screen, with receipts,
// reactions, media and participant signals as Instagram produces them; then the studio's posts, the
// comments on them and the profile's ice breakers (demo-posts.ts).
//
// The same writer turns the scripts of the multi-profile world's other profiles (profile-set.ts) into
// their own objects: a Facebook Page's Messenger chats (PSIDs, Messenger's message ids and reactions,
// no participant signals), another Instagram account's.
import { checkInteractiveSend } from '../../shared/interactive-rules.ts'
import type { Attachment, Chat, ChatMetadata, Message, MessageReaction, Profile } from '../../shared/postproxy.ts'
import type { IceBreaker } from '../../shared/postproxy-interactive.ts'
import { HOUR_MS, OUTSIDE_WINDOW_CODE, OUTSIDE_WINDOW_ERROR, OUTSIDE_WINDOW_SUBCODE } from '../../shared/messaging-window.ts'
import { reactionNameForEmoji } from '../../shared/reaction-rules.ts'
import type { ScenarioOptions, ScenarioSink, SimComment, SimPost } from '../contracts.ts'
import { commentPermalink, facebookPostPermalink, postPermalink } from '../post-records.ts'
import { paintArtwork, paintAvatar, type ArtworkSpec } from './artwork.ts'
import { businessExternalId, CREATOR_NAME, CREATOR_USERNAME, writeCreatorProfile } from './creator-profile.ts'
import { DEMO_COMMENTS, DEMO_ICE_BREAKERS, DEMO_POSTS, type ScriptComment, type ScriptCommenter, type ScriptPost } from './demo-posts.ts'
import { DEMO_CHATS, type ScriptChat, type ScriptLine, type WindowPlacement } from './demo-script.ts'
import { buildChat, buildMessage, chatActivity } from './message-shapes.ts'
import { SeededRandom } from './prng.ts'
import type { ScenarioSummary } from './scenario-summary.ts'
import { ScenarioIds, scenarioIdNamespace } from './scenario-ids.ts'

const SECOND_MS = 1000
const MINUTE_MS = 60 * SECOND_MS
const DAY_MS = 24 * HOUR_MS
/** Nothing in the scenario is newer than this before "now", so receipts and reactions fit after it. */
const NEWEST_MESSAGE_MARGIN_MS = MINUTE_MS
const LOVE: Pick<MessageReaction, 'emoji' | 'reaction'> = { emoji: '❤️', reaction: 'love' }

/** How long ago their last message was, per placement: [min, max) in ms. */
const LAST_INBOUND_AGO: Record<Exclude<WindowPlacement, 'never_opened'>, [number, number]> = {
  open: [4 * MINUTE_MS, 20 * HOUR_MS],
  closing_soon: [22 * HOUR_MS + 15 * MINUTE_MS, 23 * HOUR_MS + 40 * MINUTE_MS],
  human_agent: [26 * HOUR_MS, 6 * DAY_MS],
  closed: [8 * DAY_MS, 70 * DAY_MS]
}

interface Commenter {
  id: string
  username: string | null
  name: string | null
  avatarUrl: string | null
  fromBusiness: boolean
}

/** What one profile of a scenario holds, as scripts: who writes what, which posts, who comments. */
export interface ProfileScript {
  /** The profile's platform: its chats, ids and rules follow it. */
  platform: 'instagram' | 'facebook'
  /** The business on the platform: the sender of its reactions, the author of its comments. */
  business: { externalId: string; username: string; name: string }
  chats: readonly ScriptChat[]
  posts: readonly ScriptPost<string>[]
  comments: readonly ScriptComment<string>[]
  iceBreakers: readonly IceBreaker[] | null
  /** The label its random draws and ids are seeded under (the demo's own: `demo`). */
  label: string
}

/** The primary Instagram profile's script: the demo of Clay & Tide Studio. */
function demoScript(seed: number): ProfileScript {
  return {
    platform: 'instagram',
    business: { externalId: businessExternalId(seed), username: CREATOR_USERNAME, name: CREATOR_NAME },
    chats: DEMO_CHATS,
    posts: DEMO_POSTS,
    comments: DEMO_COMMENTS,
    iceBreakers: DEMO_ICE_BREAKERS,
    label: 'demo'
  }
}

function toLine(line: string | ScriptLine): ScriptLine {
  if (typeof line !== 'string') return line
  return { from: line.startsWith('<') ? 'me' : 'them', text: line.slice(2) }
}

class ScriptWriter {
  readonly #sink: ScenarioSink
  readonly #options: ScenarioOptions
  readonly #script: ProfileScript
  readonly #now: number
  readonly #random: SeededRandom
  readonly #ids: ScenarioIds
  readonly #businessId: string
  /** Each demo chat's participant, by username: the same person when they comment on a post. */
  readonly #participants = new Map<string, { id: string; name: string | null; avatarUrl: string | null }>()
  #messages = 0

  constructor(sink: ScenarioSink, options: ScenarioOptions, script: ProfileScript) {
    this.#sink = sink
    this.#options = options
    this.#script = script
    this.#now = options.clock.now()
    this.#random = new SeededRandom(options.seed, script.label)
    this.#ids = new ScenarioIds(options.seed, scenarioIdNamespace(script.label, options))
    this.#businessId = script.business.externalId
  }

  get #messenger(): boolean {
    return this.#script.platform === 'facebook'
  }

  /** A participant's id: an IGSID on Instagram, a PSID (page-scoped, numeric) on Messenger. */
  #participantId(): string {
    return this.#messenger ? this.#ids.psid() : this.#ids.participantId()
  }

  #messageId(): string {
    return this.#messenger ? this.#ids.messengerMessageId() : this.#ids.metaMessageId()
  }

  get messageCount(): number {
    return this.#messages
  }

  #iso(ms: number): string {
    return new Date(ms).toISOString()
  }

  /** A moment `minMs`–`maxMs` after `from`, never later than just before now. */
  #after(from: number, minMs: number, maxMs: number): number {
    return Math.max(from, Math.min(from + this.#random.between(minMs, maxMs), this.#now - 5 * SECOND_MS))
  }

  #storeMedia(spec: ArtworkSpec, filename: string): string {
    return this.#sink.media(this.#ids.next('med'), paintArtwork(spec, filename))
  }

  #imageAttachment(type: 'image' | 'story_mention', spec: ArtworkSpec, filename: string): Attachment {
    return { id: this.#ids.next('att'), type, url: this.#storeMedia(spec, filename), status: 'processed', external_id: null }
  }

  /** The wait before a line: a reply comes within minutes; the participant may come back hours later. */
  #defaultGap(line: ScriptLine): number {
    if (line.from === 'me') return this.#random.between(MINUTE_MS, 25 * MINUTE_MS)
    const roll = this.#random.next()
    if (roll < 0.7) return this.#random.between(MINUTE_MS, 10 * MINUTE_MS)
    if (roll < 0.92) return this.#random.between(10 * MINUTE_MS, 2 * HOUR_MS)
    return this.#random.between(4 * HOUR_MS, 18 * HOUR_MS)
  }

  /**
   * When each line happened: their last message is placed by the chat's placement, earlier lines
   * step back from it and later ones (the studio's replies) step forward, squeezed to end before now.
   */
  #timeline(chat: ScriptChat, lines: ScriptLine[], lastInboundIndex: number): number[] {
    const [minAgo, maxAgo] = LAST_INBOUND_AGO[chat.placement as Exclude<WindowPlacement, 'never_opened'>]
    const lastInboundAgo = chat.lastInboundHoursAgo !== undefined ? chat.lastInboundHoursAgo * HOUR_MS : this.#random.between(minAgo, maxAgo)
    const anchor = this.#now - lastInboundAgo
    const gaps = lines.map((line) => (line.afterMinutes !== undefined ? line.afterMinutes * MINUTE_MS : this.#defaultGap(line)))
    const times = new Array<number>(lines.length)
    times[lastInboundIndex] = anchor

    let explicitAfter = 0
    let defaultAfter = 0
    for (let i = lastInboundIndex + 1; i < lines.length; i++) {
      if (lines[i].afterMinutes !== undefined) explicitAfter += gaps[i]
      else defaultAfter += gaps[i]
    }
    const room = this.#now - NEWEST_MESSAGE_MARGIN_MS - anchor - explicitAfter
    const squeeze = defaultAfter > room ? Math.max(0, room) / defaultAfter : 1
    for (let i = lastInboundIndex + 1; i < lines.length; i++) {
      times[i] = times[i - 1] + (lines[i].afterMinutes !== undefined ? gaps[i] : gaps[i] * squeeze)
    }
    for (let i = lastInboundIndex - 1; i >= 0; i--) times[i] = times[i + 1] - gaps[i + 1]
    return times.map(Math.round)
  }

  /** What the studio sent with the line, normalised as Postproxy echoes it (a script error throws). */
  #interactive(line: ScriptLine): Pick<Message, 'quick_replies' | 'buttons' | 'card'> {
    const check = checkInteractiveSend({
      platform: this.#script.platform,
      body: line.text ?? null,
      hasMedia: Boolean(line.image),
      quickReplies: line.quickReplies,
      buttons: line.buttons,
      card: line.card
    })
    if (!check.ok) throw new Error(`The demo script breaks Postproxy's rules: ${check.errors.join(' ')}`)
    return { quick_replies: check.value.quickReplies, buttons: check.value.buttons, card: check.value.card }
  }

  #message(chatId: string, chat: ScriptChat, participantId: string, line: ScriptLine, at: number, next: { inboundAt: number | null }, earlier: Message[]): Message {
    const previous = earlier.at(-1) ?? null
    const answered = line.repliesTo !== undefined ? earlier[line.repliesTo] : line.repliesToPrevious ? previous : null
    const attachments: Attachment[] = []
    const slug = chat.username.replace(/[^a-z0-9]+/gi, '-')
    if (line.image) attachments.push(this.#imageAttachment('image', line.image, `${slug}-photo.png`))
    if (line.storyMention) attachments.push(this.#imageAttachment('story_mention', line.storyMention, `${slug}-story.png`))
    const reactions: MessageReaction[] = []
    if (line.theyLoveIt) reactions.push({ sender_external_id: participantId, ...LOVE, at: this.#iso(this.#after(at, MINUTE_MS, 30 * MINUTE_MS)) })
    if (line.studioLovesIt) reactions.push({ sender_external_id: this.#businessId, ...LOVE, at: this.#iso(this.#after(at, MINUTE_MS, 20 * MINUTE_MS)) })
    if (line.theyReact) reactions.push({ sender_external_id: participantId, ...this.#reaction(line.theyReact), at: this.#iso(this.#after(at, MINUTE_MS, 30 * MINUTE_MS)) })
    if (line.studioReacts) reactions.push({ sender_external_id: this.#businessId, ...this.#reaction(line.studioReacts), at: this.#iso(this.#after(at, MINUTE_MS, 20 * MINUTE_MS)) })
    const common = {
      id: this.#ids.next('msg'),
      chat_id: chatId,
      body: line.text ?? null,
      reply_to_external_id: answered?.external_id ?? null,
      quick_replies: null,
      buttons: null,
      card: null,
      tapped_action: null,
      reply_markup: null,
      reactions,
      attachments
    }

    if (line.from === 'them') {
      return buildMessage({
        ...common,
        direction: 'inbound',
        status: 'received',
        external_id: this.#messageId(),
        platform_data: line.storyReply
          ? { story_reply: { id: this.#ids.next('story'), url: this.#storeMedia(line.storyReply, `${slug}-replied-story.png`) } }
          : null,
        external_posted_at: this.#iso(at),
        external_edited_at: line.edited ? this.#iso(this.#after(at, 30 * SECOND_MS, 90 * SECOND_MS)) : null,
        external_deleted_at: line.unsent ? this.#iso(this.#after(at, MINUTE_MS, 3 * MINUTE_MS)) : null,
        is_unsupported: line.unsupported === true,
        tapped_action: line.tapped ? { kind: line.tapped.kind, payload: line.tapped.payload, title: line.text ?? null } : null,
        created_at: this.#iso(at + SECOND_MS)
      })
    }
    const interactive = this.#interactive(line)

    if (line.failedOutsideWindow) {
      return buildMessage({
        ...common,
        ...interactive,
        direction: 'outbound',
        status: 'failed',
        error_message: OUTSIDE_WINDOW_ERROR,
        error_details: {
          platform_error_code: OUTSIDE_WINDOW_CODE,
          platform_error_subcode: OUTSIDE_WINDOW_SUBCODE,
          platform_error_message: OUTSIDE_WINDOW_ERROR
        },
        created_at: this.#iso(at)
      })
    }

    const deliveredAt = this.#after(at, 2 * SECOND_MS, 8 * SECOND_MS)
    let readAt: number | null = null
    if (next.inboundAt !== null) {
      // They read it before they answered.
      readAt = Math.max(deliveredAt, Math.min(this.#after(deliveredAt, 30 * SECOND_MS, 10 * MINUTE_MS), next.inboundAt - SECOND_MS))
    } else if (this.#random.chance(0.65)) {
      readAt = this.#after(deliveredAt, MINUTE_MS, 45 * MINUTE_MS)
    }
    return buildMessage({
      ...common,
      ...interactive,
      direction: 'outbound',
      status: 'published',
      tag: line.humanAgent ? 'HUMAN_AGENT' : null,
      external_id: this.#messageId(),
      external_posted_at: this.#iso(at),
      external_delivered_at: this.#iso(deliveredAt),
      external_read_at: readAt === null ? null : this.#iso(readAt),
      created_at: this.#iso(at - this.#random.int(1, 3) * SECOND_MS)
    })
  }

  /** A named reaction's emoji, or an emoji named as Meta names it on the platform. */
  #reaction(emoji: string): Pick<MessageReaction, 'emoji' | 'reaction'> {
    return { emoji, reaction: reactionNameForEmoji(emoji, this.#script.platform) }
  }

  /** Participant signals (Instagram only: Meta gives none on Messenger) and the referral that opened the chat. */
  #metadata(chat: ScriptChat, firstInboundAt: string | null): ChatMetadata | null {
    if (chat.signals && this.#messenger) throw new Error(`The Messenger script gives ${chat.username} Instagram's participant signals`)
    if (!chat.signals && !chat.referral) return null
    const metadata: ChatMetadata = chat.signals
      ? {
          is_verified_user: chat.signals.verified,
          follower_count: chat.signals.followers,
          is_user_follow_business: chat.signals.followsStudio,
          is_business_follow_user: chat.signals.studioFollows
        }
      : {}
    if (chat.referral) {
      metadata.referral = { ...chat.referral, received_at: firstInboundAt }
      metadata.last_referral_at = firstInboundAt
    }
    return metadata
  }

  writeChat(chat: ScriptChat, index: number): void {
    const chatId = this.#ids.next('chat')
    const participantId = this.#participantId()
    if (this.#messenger && chat.lines.some((line) => typeof line !== 'string' && (line.storyReply || line.storyMention || line.unsent))) {
      throw new Error(`The Messenger script gives ${chat.username} a story reply, a story mention or an unsend: Instagram's only`)
    }
    const avatarUrl = chat.hasAvatar
      ? this.#sink.media(this.#ids.next('med'), paintAvatar(index, `${chat.username.replace(/[^a-z0-9]+/gi, '-')}-avatar.png`))
      : null
    const lines = chat.lines.map(toLine)
    const lastInboundIndex = lines.findLastIndex((line) => line.from === 'them')

    const messages: Message[] = []
    let createdAt: number
    if (lastInboundIndex < 0) {
      // Pre-created by participant id: a chat, but no conversation and no window yet.
      createdAt = this.#now - Math.round(this.#random.between(2 * DAY_MS, 5 * DAY_MS))
    } else {
      const times = this.#timeline(chat, lines, lastInboundIndex)
      for (let i = 0; i < lines.length; i++) {
        const nextInbound = lines.findIndex((line, j) => j > i && line.from === 'them')
        const next = { inboundAt: nextInbound < 0 ? null : times[nextInbound] }
        messages.push(this.#message(chatId, chat, participantId, lines[i], times[i], next, messages))
      }
      createdAt = Date.parse(messages[0].created_at)
    }

    const firstInbound = messages.find((message) => message.direction === 'inbound')?.external_posted_at ?? null
    const record: Chat = buildChat({
      id: chatId,
      profile_id: this.#options.profileId,
      platform: this.#script.platform,
      participant_external_id: participantId,
      // Messenger people have a name and a PSID, no handle.
      participant_username: this.#messenger ? null : chat.username,
      participant_name: chat.name,
      participant_avatar_url: avatarUrl,
      external_conversation_id: messages.length > 0 ? this.#ids.conversationId() : null,
      ...chatActivity(messages),
      metadata: this.#metadata(chat, firstInbound),
      created_at: this.#iso(createdAt)
    })
    this.#sink.chat(record)
    for (const message of messages) this.#sink.message(message)
    this.#messages += messages.length
    this.#participants.set(chat.username, { id: participantId, name: chat.name, avatarUrl })
  }

  /** The post's id on the platform and its link: an Instagram media id and shortcode, or a Page post. */
  #postIdentity(): Pick<SimPost, 'external_id' | 'permalink'> {
    if (this.#messenger) {
      const externalId = this.#ids.facebookPostId(this.#businessId)
      return { external_id: externalId, permalink: facebookPostPermalink(externalId) }
    }
    const externalId = this.#ids.instagramMediaId()
    return { external_id: externalId, permalink: postPermalink('instagram', this.#ids.shortcode()) }
  }

  /** The studio's posts, each with its picture served by the simulator. */
  writePosts(): Map<string, SimPost> {
    const posts = new Map<string, SimPost>()
    for (const script of this.#script.posts) {
      const mediaId = this.#ids.next('med')
      const url = this.#sink.media(mediaId, paintArtwork(script.image, `post-${script.key.replace(/_/g, '-')}.png`))
      const id = this.#ids.next('post')
      const { external_id, permalink } = this.#postIdentity()
      const post: SimPost = {
        id,
        profile_id: this.#options.profileId,
        platform: this.#script.platform,
        external_id,
        caption: script.caption,
        media: [{ id: mediaId, url, content_type: 'image/png' }],
        permalink,
        created_at: this.#iso(this.#now - script.daysAgo * DAY_MS - this.#random.int(0, 180) * MINUTE_MS)
      }
      this.#sink.post(post)
      posts.set(script.key, post)
    }
    return posts
  }

  /** Who wrote a comment: the studio, a chat's participant, or someone who never wrote. */
  #commenter(by: 'studio' | ScriptCommenter, profile: Profile, strangers: Map<string, string>): Commenter {
    if (by === 'studio') {
      const { username, name } = this.#script.business
      return { id: this.#businessId, username, name, avatarUrl: profile.avatar_url ?? null, fromBusiness: true }
    }
    if ('chat' in by) {
      const participant = this.#participants.get(by.chat)
      if (!participant) throw new Error(`The demo comments name a chat that does not exist: ${by.chat}`)
      return { id: participant.id, username: this.#messenger ? null : by.chat, name: participant.name, avatarUrl: participant.avatarUrl, fromBusiness: false }
    }
    let id = strangers.get(by.username)
    if (!id) {
      id = this.#participantId()
      strangers.set(by.username, id)
    }
    return { id, username: this.#messenger ? null : by.username, name: by.name, avatarUrl: null, fromBusiness: false }
  }

  #comment(post: SimPost, by: Commenter, text: string, at: number, parentExternalId: string | null): SimComment {
    const externalId = this.#messenger ? this.#ids.facebookCommentId(post.external_id) : this.#ids.instagramCommentId()
    return {
      id: this.#ids.next('cmt'),
      external_id: externalId,
      post_id: post.id,
      profile_id: post.profile_id,
      platform: post.platform,
      parent_external_id: parentExternalId,
      body: text,
      author_external_id: by.id,
      author_username: by.username,
      author_name: by.name,
      author_avatar_url: by.avatarUrl,
      from_business: by.fromBusiness,
      like_count: 0,
      liked_by_business: false,
      is_hidden: false,
      permalink: commentPermalink(post.permalink, externalId, post.platform),
      posted_at: this.#iso(at),
      // Postproxy picks a comment up a few seconds after it is posted.
      created_at: this.#iso(at + this.#random.int(2, 20) * SECOND_MS)
    }
  }

  /** The comments on the posts, each after its post and before its replies. */
  writeComments(posts: Map<string, SimPost>, profile: Profile): number {
    const strangers = new Map<string, string>()
    let count = 0
    for (const script of this.#script.comments) {
      const post = posts.get(script.post)!
      const postedAt = Date.parse(post.created_at)
      const at = Math.max(postedAt + 10 * MINUTE_MS, this.#now - script.hoursAgo * HOUR_MS - this.#random.int(0, 50) * MINUTE_MS)
      const likedByStudio = script.studioLikesIt === true
      const comment: SimComment = {
        ...this.#comment(post, this.#commenter(script.by, profile, strangers), script.text, at, null),
        like_count: (script.likes ?? 0) + (likedByStudio ? 1 : 0),
        liked_by_business: likedByStudio,
        is_hidden: script.hidden === true
      }
      this.#sink.comment(comment)
      count++
      for (const reply of script.replies ?? []) {
        const replyAt = Math.min(at + reply.minutesAfter * MINUTE_MS, this.#now - NEWEST_MESSAGE_MARGIN_MS)
        this.#sink.comment(this.#comment(post, this.#commenter(reply.by, profile, strangers), reply.text, replyAt, comment.external_id))
        count++
      }
    }
    return count
  }

  writeIceBreakers(): void {
    const breakers = this.#script.iceBreakers
    if (breakers) this.#sink.iceBreakers(this.#options.profileId, breakers.map((breaker) => ({ ...breaker })))
  }

  writeProfileAvatar(spec: ArtworkSpec, filename: string): string {
    return this.#sink.media(this.#ids.next('med'), paintArtwork(spec, filename))
  }

  /** Everything after the profile: chats, posts, the comments on them, ice breakers. */
  writeContent(profile: Profile): Omit<ScenarioSummary, 'profile'> {
    this.#script.chats.forEach((chat, index) => this.writeChat(chat, index))
    const posts = this.writePosts()
    const comments = this.writeComments(posts, profile)
    this.writeIceBreakers()
    return { chats: this.#script.chats.length, messages: this.messageCount, posts: posts.size, comments }
  }
}

export function buildDemoScenario(sink: ScenarioSink, options: ScenarioOptions): ScenarioSummary {
  const writer = new ScriptWriter(sink, options, demoScript(options.seed))
  const avatar = writer.writeProfileAvatar({ scene: 'mug', glaze: 'sage', backdrop: 'cream' }, 'clay-and-tide.png')
  const profile = writeCreatorProfile(sink, options, avatar)
  return { profile, ...writer.writeContent(profile) }
}

/**
 * Another profile of the multi-profile world: its avatar, then `profile` (with that avatar), then its
 * script's chats, posts, comments and ice breakers. Ids and times follow the seed and `script.label`.
 */
export function buildScriptedProfile(
  sink: ScenarioSink,
  options: ScenarioOptions,
  profile: Profile,
  script: ProfileScript,
  avatar: ArtworkSpec
): ScenarioSummary {
  const writer = new ScriptWriter(sink, options, script)
  const written: Profile = { ...profile, avatar_url: writer.writeProfileAvatar(avatar, `${script.label.replace(/[^a-z0-9]+/gi, '-')}-avatar.png`) }
  sink.profile(written)
  return { profile: written, ...writer.writeContent(written) }
}
