// Resolving ids within what the request may see: the key's account and, when the request names
// one, its profile group (`?profile_group_id=`). Anything outside is "not found", like a bad id.
import { DM_PLATFORMS, type Chat, type Message, type Profile } from '../../shared/postproxy.ts'
import { notFound, unprocessable } from '../http-errors.ts'
import type { RouteContext } from '../router.ts'
import type { SimState } from '../state.ts'

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
