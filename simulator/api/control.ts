// The control API under /_sim/ (not part of Postproxy; same bearer key): what participants do,
// simulated time, faults, rate limit, scenario reset, extra accounts, and ground truth for tests.
// Documented with examples in simulator/README.md.
import { bulkCommentRecord } from '../comment-records.ts'
import type { InboundInput, SimComment, SimMedia } from '../contracts.ts'
import { parseFaultSpec } from '../faults.ts'
import { badRequest, notFound, unprocessable } from '../http-errors.ts'
import type { ScenarioChoice } from '../load-scenario.ts'
import { decodeDataUri, safeFilename } from '../media-input.ts'
import { postRecord } from '../post-records.ts'
import type { Route, RouteContext } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { fieldsOf } from './params.ts'
import { controlProfileId } from './scope.ts'

const MAX_GENERATED_MESSAGES = 2_000_000

type MediaInput = { url: string; type?: string } | (SimMedia & { type?: string })

/** `{url}` or `{data_uri}` (with optional `type`, `filename`) from a control body. */
function mediaInput(value: unknown, field: string): MediaInput | null {
  if (value === undefined || value === null) return null
  if (!isPlainObject(value)) throw unprocessable([`${field} must be an object with a url or a data_uri.`])
  const item = value
  const type = typeof item.type === 'string' ? item.type : undefined
  if (typeof item.url === 'string' && item.url !== '') {
    if (!URL.canParse(item.url) || !/^https?:$/.test(new URL(item.url).protocol)) throw unprocessable([`${field} url must be an http(s) URL.`])
    return { url: item.url, type }
  }
  if (typeof item.data_uri === 'string') {
    const decoded = decodeDataUri(item.data_uri)
    if (!decoded || decoded.bytes.length === 0) throw unprocessable([`${field} data_uri must be a non-empty base64 data URI.`])
    const filename = safeFilename(typeof item.filename === 'string' ? item.filename : null) ?? undefined
    return { mime: decoded.mime ?? 'application/octet-stream', bytes: decoded.bytes, filename, type }
  }
  throw unprocessable([`${field} must have a url or a data_uri.`])
}

/**
 * A comment as the control API shows it: the flat BulkComment, plus the fields of the first control
 * API (`participant_*`, `text`) that older callers read, and the private reply sent to it, if any.
 */
function controlComment(comment: SimComment, replyMessageId: string | null = null) {
  return {
    ...bulkCommentRecord(comment),
    participant_external_id: comment.author_external_id,
    participant_username: comment.author_username,
    participant_name: comment.author_name,
    text: comment.body,
    reply_message_id: replyMessageId
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function optionalText(fields: Record<string, unknown>, name: string): string | null {
  const value = fields[name]
  return typeof value === 'string' ? value : null
}

/** `profiles`: "multi" for the multi-profile set, "single" for one profile; absent: undefined (a reset keeps what the account had). */
function profileSet(fields: Record<string, unknown>): boolean | undefined {
  const profiles = fields.profiles
  if (profiles === undefined || profiles === null) return undefined
  if (profiles !== 'multi' && profiles !== 'single') throw unprocessable(['Profiles must be "multi" (several profiles) or "single".'])
  return profiles === 'multi'
}

function scenarioChoice(fields: Record<string, unknown>): ScenarioChoice {
  const chats = fields.chats
  const messagesPerChat = fields.messages_per_chat
  const seed = fields.seed ?? 1
  const multiProfile = profileSet(fields)
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw unprocessable(['Seed must be a whole number.'])
  if (chats !== undefined || messagesPerChat !== undefined) {
    const valid = (n: unknown, max: number) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max
    if (!valid(chats, 100_000)) throw unprocessable(['Chats must be a whole number from 0 to 100000.'])
    if (!valid(messagesPerChat ?? 10, 10_000)) throw unprocessable(['Messages per chat must be a whole number from 0 to 10000.'])
    // The load runs inside one request; keep it to the size the benchmark shows takes seconds.
    if ((chats as number) * ((messagesPerChat as number | undefined) ?? 10) > MAX_GENERATED_MESSAGES) {
      throw unprocessable([`Chats × messages per chat must be at most ${MAX_GENERATED_MESSAGES.toLocaleString('en')} messages.`])
    }
    return { name: 'scale', seed, chats: chats as number, messagesPerChat: (messagesPerChat as number | undefined) ?? 10, multiProfile }
  }
  const name = fields.scenario ?? 'empty'
  if (name !== 'demo' && name !== 'empty') throw unprocessable(['Scenario must be demo or empty (or give chats and messages_per_chat).'])
  return { name, seed, multiProfile }
}

export function controlRoutes(deps: ApiDeps): Route[] {
  const { state, clock, control, faults, rateLimiter, requests } = deps

  const profileIdFor = (context: RouteContext, fields: Record<string, unknown>): string => controlProfileId(state, context, fields)

  const clockBody = () => ({ now: clock.nowIso(), offset_ms: clock.offsetMs })

  const messageAction = (action: string, apply: (context: RouteContext, fields: Record<string, unknown>) => unknown): Route => ({
    method: 'POST',
    path: `/_sim/messages/:id/${action}`,
    handle: (context) => ({ status: 200, body: apply(context, fieldsOf(context.body)) })
  })

  return [
    {
      method: 'POST',
      path: '/_sim/inbound',
      handle: (context) => {
        const fields = fieldsOf(context.body)
        const storyReply = fields.story_reply as Record<string, unknown> | null | undefined
        if (storyReply !== undefined && storyReply !== null && (typeof storyReply !== 'object' || typeof storyReply.url !== 'string')) {
          throw unprocessable(['Story reply must be an object with the story id and url.'])
        }
        const input: InboundInput = {
          participant_external_id: optionalText(fields, 'participant_external_id') ?? '',
          participant_username: optionalText(fields, 'participant_username'),
          participant_name: optionalText(fields, 'participant_name'),
          participant_avatar_url: optionalText(fields, 'participant_avatar_url'),
          metadata: isPlainObject(fields.metadata) ? fields.metadata : null,
          body: optionalText(fields, 'body'),
          media: mediaInput(fields.media, 'Media'),
          story_reply: storyReply ? { id: String(storyReply.id ?? ''), url: String(storyReply.url) } : null,
          story_mention: mediaInput(fields.story_mention, 'Story mention'),
          reply_to_external_id: optionalText(fields, 'reply_to_external_id')
        }
        return { status: 201, body: control.injectInboundWithChat(context.account, profileIdFor(context, fields), input) }
      }
    },
    messageAction('reaction', (context, fields) => {
      const action = fields.action ?? 'react'
      if (action !== 'react' && action !== 'unreact') throw unprocessable(['Action must be react or unreact.'])
      const emoji = optionalText(fields, 'emoji') ?? undefined
      return control.userReaction(context.account, context.params.id, action, emoji)
    }),
    messageAction('delivered', (context) => control.markDelivered(context.account, context.params.id)),
    messageAction('read', (context) => control.markRead(context.account, context.params.id)),
    messageAction('unsend', (context) => control.unsend(context.account, context.params.id)),
    messageAction('edit', (context, fields) => control.edit(context.account, context.params.id, optionalText(fields, 'body') ?? '')),
    {
      method: 'POST',
      path: '/_sim/referral',
      handle: (context) => {
        const fields = fieldsOf(context.body)
        const chat = control.referral(context.account, profileIdFor(context, fields), {
          participant_external_id: optionalText(fields, 'participant_external_id') ?? '',
          participant_username: optionalText(fields, 'participant_username'),
          participant_name: optionalText(fields, 'participant_name'),
          ref: optionalText(fields, 'ref'),
          source: optionalText(fields, 'source'),
          type: optionalText(fields, 'type')
        })
        return { status: 200, body: chat }
      }
    },
    {
      method: 'POST',
      path: '/_sim/posts',
      handle: (context) => {
        const fields = fieldsOf(context.body)
        const post = control.createPost(context.account, profileIdFor(context, fields), {
          caption: optionalText(fields, 'caption'),
          image_url: optionalText(fields, 'image_url'),
          created_at: optionalText(fields, 'created_at')
        })
        return { status: 201, body: postRecord(post) }
      }
    },
    {
      method: 'POST',
      path: '/_sim/comments',
      handle: (context) => {
        const fields = fieldsOf(context.body)
        const comment = control.createComment(context.account, profileIdFor(context, fields), {
          participant_external_id: optionalText(fields, 'participant_external_id') ?? '',
          participant_username: optionalText(fields, 'participant_username'),
          participant_name: optionalText(fields, 'participant_name'),
          participant_avatar_url: optionalText(fields, 'participant_avatar_url'),
          text: optionalText(fields, 'text') ?? '',
          post_id: optionalText(fields, 'post_id'),
          parent_id: optionalText(fields, 'parent_id'),
          created_at: optionalText(fields, 'created_at')
        })
        return { status: 201, body: controlComment(comment) }
      }
    },
    { method: 'GET', path: '/_sim/clock', handle: () => ({ status: 200, body: clockBody() }) },
    {
      method: 'POST',
      path: '/_sim/clock/advance',
      handle: (context) => {
        const ms = fieldsOf(context.body).ms
        if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
          throw unprocessable(['Ms must be a number of milliseconds, zero or more (the clock only moves forward).'])
        }
        clock.advance(ms)
        return { status: 200, body: clockBody() }
      }
    },
    { method: 'GET', path: '/_sim/faults', handle: () => ({ status: 200, body: faults.snapshot() }) },
    {
      method: 'POST',
      path: '/_sim/faults',
      handle: (context) => {
        faults.add(parseFaultSpec(fieldsOf(context.body)))
        return { status: 200, body: faults.snapshot() }
      }
    },
    {
      method: 'DELETE',
      path: '/_sim/faults',
      handle: () => {
        faults.clear()
        return { status: 200, body: faults.snapshot() }
      }
    },
    { method: 'POST', path: '/_sim/faults/release', handle: () => ({ status: 200, body: { released: faults.release() } }) },
    {
      method: 'POST',
      path: '/_sim/rate-limit',
      handle: (context) => {
        const fields = fieldsOf(context.body)
        if (fields.limit === null) rateLimiter.configure(null)
        else {
          const limit = fields.limit
          const windowMs = fields.window_ms ?? 1000
          const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1
          if (!whole(limit)) throw unprocessable(['Limit must be a whole number of requests (1 or more), or null to turn the limit off.'])
          if (!whole(windowMs)) throw unprocessable(['Window ms must be a whole number of milliseconds (1 or more).'])
          rateLimiter.configure({ limit, windowMs })
        }
        const config = rateLimiter.config
        return { status: 200, body: { rate_limit: config ? { limit: config.limit, window_ms: config.windowMs } : null } }
      }
    },
    {
      method: 'POST',
      path: '/_sim/reset',
      handle: (context) => {
        deps.resetAccount(context.account, scenarioChoice(fieldsOf(context.body)))
        return { status: 200, body: { profiles: state.profiles(context.account), counts: state.counts(context.account) } }
      }
    },
    {
      method: 'POST',
      path: '/_sim/accounts',
      handle: (context) => {
        const fields = fieldsOf(context.body)
        const platform = optionalText(fields, 'platform') ?? undefined
        const created = deps.createAccount({ platform, scenario: scenarioChoice(fields) })
        return {
          status: 201,
          body: { account: created.account, api_key: created.apiKey, profile_id: created.profileId, profile_ids: created.profileIds }
        }
      }
    },
    {
      method: 'GET',
      path: '/_sim/state',
      handle: (context) => {
        const profiles = state.profiles(context.account)
        const config = rateLimiter.config
        return {
          status: 200,
          body: {
            account: context.account,
            clock: clockBody(),
            counts: state.counts(context.account),
            profiles,
            chats: profiles.flatMap((profile) => state.allChats(context.account, profile.id)),
            posts: profiles.flatMap((profile) => state.posts.recentPosts(context.account, profile.id, 10_000)).map(postRecord),
            comments: state.posts.allComments(context.account).map((comment) => controlComment(comment, comment.reply_message_id)),
            ice_breakers: Object.fromEntries(profiles.map((profile) => [profile.id, state.iceBreakers(profile.id)])),
            faults: faults.snapshot(),
            rate_limit: config ? { limit: config.limit, window_ms: config.windowMs } : null,
            requests: requests.of(context.account),
            scheduled_tasks: clock.scheduledCount
          }
        }
      }
    },
    {
      method: 'GET',
      path: '/_sim/chats/:id',
      handle: (context) => {
        const chat = state.chat(context.account, context.params.id)
        if (!chat) throw notFound()
        const limitParam = context.query.get('limit')
        const limit = limitParam === null ? 10_000 : Number(limitParam)
        if (!Number.isInteger(limit) || limit < 1) throw badRequest('limit must be a whole number, 1 or more.')
        return { status: 200, body: { chat, messages: state.recentMessages(chat.id, limit) } }
      }
    }
  ]
}
