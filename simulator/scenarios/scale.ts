// Deterministic scale data: `chats` x `messagesPerChat` messages for benchmarks and for trying the
// app on a big inbox. Built for speed (a million messages in a few seconds): timestamps are
// arithmetic, text comes from a pre-assembled pool, and only one chat's messages are held at a time.
import type { ChatMetadata, Message } from '../../shared/postproxy.ts'
import type { ScaleOptions, ScenarioSink } from '../contracts.ts'
import { writeCreatorProfile } from './creator-profile.ts'
import { buildChat, buildMessage, chatActivity } from './message-shapes.ts'
import { SeededRandom } from './prng.ts'
import type { ScenarioSummary } from './scenario-summary.ts'
import { ScenarioIds, scenarioIdNamespace } from './scenario-ids.ts'
import { participantName } from './participant-names.ts'
import { createTextPool } from './scale-text.ts'
import { IsoTimeFormatter } from './iso-time.ts'

const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS
/** Chats' latest activity is spread over this much of the past, newest chat first. */
const ACTIVITY_SPAN_MS = 90 * DAY_MS
const TEXT_POOL_SIZE = 4096

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number of at least 0 (got ${value}).`)
}

function scaleMetadata(random: SeededRandom, firstInboundAt: string | null): ChatMetadata | null {
  // A few participants have no signals from Meta yet.
  if (random.chance(0.05)) return null
  const metadata: ChatMetadata = {
    is_verified_user: random.chance(0.03),
    // Log-uniform from 10 to about 2M followers: most people are small, a few are huge.
    follower_count: Math.round(10 ** random.between(1, 6.3)),
    is_user_follow_business: random.chance(0.6),
    is_business_follow_user: random.chance(0.2)
  }
  if (random.chance(0.02)) {
    metadata.referral = { ref: 'spring_drop', source: 'SHORTLINK', type: 'OPEN_THREAD', received_at: firstInboundAt }
    metadata.last_referral_at = firstInboundAt
  }
  return metadata
}

export function buildScaleScenario(sink: ScenarioSink, options: ScaleOptions): ScenarioSummary {
  checkCount(options.chats, 'The number of chats')
  checkCount(options.messagesPerChat, 'The number of messages per chat')
  const profile = writeCreatorProfile(sink, options, null)
  writeScaleChats(sink, options, 'instagram', true)
  return { profile, chats: options.chats, messages: options.chats * options.messagesPerChat, posts: 0, comments: 0 }
}

/**
 * The scale chats of one profile that is already written (the creator's, or another messaging profile of
 * the multi-profile world). On Messenger the people have PSIDs, no handle and no Instagram signals.
 */
export function writeScaleChats(sink: ScenarioSink, options: ScaleOptions, platform: 'instagram' | 'facebook', primary: boolean): void {
  const messenger = platform === 'facebook'
  // The creator's chats are as they always were; another profile's people are other people.
  const random = new SeededRandom(options.seed, primary ? 'scale' : `scale|${options.profileId}`)
  const ids = new ScenarioIds(options.seed, scenarioIdNamespace('scale', options))
  const text = createTextPool(random, TEXT_POOL_SIZE)
  const now = options.clock.now()
  const perChat = options.messagesPerChat
  const messages: Message[] = new Array(perChat)
  const time = new IsoTimeFormatter()
  const iso = (ms: number): string => time.format(ms)

  for (let c = 0; c < options.chats; c++) {
    const chatId = ids.next('chat')
    const participant = participantName(random)
    const lastAt = now - MINUTE_MS - Math.round((c / Math.max(1, options.chats)) * ACTIVITY_SPAN_MS + random.between(0, 30 * MINUTE_MS))
    const gap = Math.round(random.between(2 * MINUTE_MS, 90 * MINUTE_MS))
    const firstAt = lastAt - (perChat - 1) * gap
    let inbound = true
    for (let m = 0; m < perChat; m++) {
      const at = firstAt + m * gap
      // A conversation starts with the participant; after that, turns switch about half the time.
      if (m > 0 && random.next() < 0.45) inbound = !inbound
      if (inbound) {
        messages[m] = buildMessage({
          id: ids.next('msg'),
          chat_id: chatId,
          direction: 'inbound',
          status: 'received',
          external_id: messenger ? ids.messengerMessageId() : ids.metaMessageId(),
          body: text.inbound[Math.floor(random.next() * TEXT_POOL_SIZE)],
          external_posted_at: iso(at),
          created_at: iso(at + 1000)
        })
      } else {
        const read = m < perChat - 1 || random.next() < 0.5
        messages[m] = buildMessage({
          id: ids.next('msg'),
          chat_id: chatId,
          direction: 'outbound',
          status: 'published',
          external_id: messenger ? ids.messengerMessageId() : ids.metaMessageId(),
          body: text.outbound[Math.floor(random.next() * TEXT_POOL_SIZE)],
          external_posted_at: iso(at),
          external_delivered_at: iso(at + 2000),
          external_read_at: read ? iso(at + 60_000) : null,
          created_at: iso(at - 1000)
        })
      }
    }
    const firstInboundAt = perChat > 0 ? messages[0].external_posted_at ?? null : null
    sink.chat(
      buildChat({
        id: chatId,
        profile_id: options.profileId,
        platform,
        participant_external_id: messenger ? ids.psid() : ids.participantId(),
        participant_username: messenger ? null : participant.username,
        participant_name: participant.name,
        external_conversation_id: perChat > 0 ? ids.conversationId() : null,
        ...chatActivity(messages),
        metadata: messenger ? null : scaleMetadata(random, firstInboundAt),
        created_at: iso(perChat > 0 ? firstAt + 1000 : lastAt)
      })
    )
    for (let m = 0; m < perChat; m++) sink.message(messages[m])
  }
}
