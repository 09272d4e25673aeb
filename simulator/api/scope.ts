// Resolving ids within what the request may see: the key's account and, when the request names
// one, its profile group (`?profile_group_id=`). Anything outside is "not found", like a bad id.
import { DM_PLATFORMS, type Chat, type Message, type Profile } from '../../shared/postproxy.ts'
import { platformName } from '../../shared/interactive-rules.ts'
import type { SimPost } from '../contracts.ts'
import { notFound, unprocessable } from '../http-errors.ts'
import type { StoredComment } from '../post-store.ts'
import type { RouteContext } from '../router.ts'
import type { SimState } from '../state.ts'
import { fieldsOf, requiredParam } from './params.ts'

function inGroup(profile: Profile, context: RouteContext): boolean {
  const group = context.query.get('profile_group_id')
  return !group || profile.profile_group_id === group
}

export function visibleProfiles(state: SimState, context: RouteContext): Profile[] {
  return state.profiles(context.account).filter((profile) => inGroup(profile, context))
}

export function scopedProfile(state: SimState, context: RouteContext, profileId: string): Profile {
  const profile = state.profile(context.account, profileId)
  if (!profile || !inGroup(profile, context)) throw notFound()
  return profile
}

/** A chat by hashid or native conversation id, with its profile. */
export function scopedChat(state: SimState, context: RouteContext, chatId: string): { chat: Chat; profile: Profile } {
  const chat = state.chat(context.account, chatId)
  if (!chat) throw notFound()
  return { chat, profile: scopedProfile(state, context, chat.profile_id) }
}

/** A message by hashid or native message id, with its chat and profile. */
export function scopedMessage(
  state: SimState,
  context: RouteContext,
  messageId: string
): { message: Message; chat: Chat; profile: Profile } {
  const message = state.message(context.account, messageId)
  if (!message) throw notFound()
  return { message, ...scopedChat(state, context, message.chat_id) }
}

/** Direct messages exist only on the DM platforms; other profiles answer 422. */
export function requireDmPlatform(profile: Profile): void {
  if (!(DM_PLATFORMS as readonly string[]).includes(profile.platform)) {
    throw unprocessable([`Profile ${profile.id} is on ${profile.platform}, which has no direct messages in Postproxy.`])
  }
}

/** A post by id, in a profile the request may see. */
export function scopedPost(state: SimState, context: RouteContext, postId: string): { post: SimPost; profile: Profile } {
  const post = state.posts.post(context.account, postId)
  if (!post) throw notFound()
  return { post, profile: scopedProfile(state, context, post.profile_id) }
}

/**
 * The post of a comment call and the profile its `profile_id` names (query string, or body; 400 when
 * missing). A post that did not go out on that profile is "not found" for it.
 */
export function scopedPostOnProfile(state: SimState, context: RouteContext, postId: string): { post: SimPost; profile: Profile } {
  const profileId = context.query.get('profile_id') || requiredParam(fieldsOf(context.body), 'profile_id')
  const profile = scopedProfile(state, context, profileId)
  const post = state.posts.post(context.account, postId)
  if (!post || post.profile_id !== profile.id) throw notFound()
  return { post, profile }
}

/** A comment of the post by hashid or by the platform's id (`external_id`). */
export function scopedComment(state: SimState, context: RouteContext, post: SimPost, commentId: string): StoredComment {
  const comment = state.posts.comment(context.account, commentId)
  if (!comment || comment.post_id !== post.id) throw notFound()
  return comment
}

/**
 * Calls that exist on some platforms only answer 422 naming the platform (never 404, which keeps
 * meaning "no such id"): "<what> is possible on Bluesky only, not on Instagram. <hint>"
 */
export function requirePlatform(profile: Profile, allowed: readonly string[], what: string, hint = ''): void {
  if (allowed.includes(profile.platform)) return
  const where = allowed.map(platformName).join(' and ')
  throw unprocessable([`${what} is possible on ${where} only, not on ${platformName(profile.platform)}.${hint ? ` ${hint}` : ''}`])
}

/** The control API's profile: `profile_id` from the body, else the account's first profile. */
export function controlProfileId(state: SimState, context: RouteContext, fields: Record<string, unknown>): string {
  const given = typeof fields.profile_id === 'string' ? fields.profile_id : null
  const profileId = given ?? state.profiles(context.account)[0]?.id
  if (!profileId || !state.profile(context.account, profileId)) throw notFound()
  return profileId
}
