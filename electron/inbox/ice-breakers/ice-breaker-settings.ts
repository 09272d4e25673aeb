// The ice breakers of the signed-in Instagram profile (POSTPROXY.md §9). They live on Postproxy, not in the
// local cache: Settings loads them when it opens and saves them whole. A list is checked with the server's
// own rules and sentences (`checkIceBreakers`) before anything is sent, and other platforms are told, in
// words, that they have none.
import type { IceBreakerSettings } from '../../../shared/inbox-api.ts'
import { checkIceBreakers, platformName } from '../../../shared/interactive-rules.ts'
import type { IceBreaker } from '../../../shared/postproxy-interactive.ts'
import { InboxFailure } from '../inbox-failure.ts'
import type { ActiveSession } from '../session/active-session.ts'

export const ICE_BREAKER_PLATFORM = 'instagram'

function platformOf(session: ActiveSession): string {
  return session.profiles.find((profile) => profile.id === session.profileId)?.platform ?? ICE_BREAKER_PLATFORM
}

function unsupported(platform: string): InboxFailure {
  return new InboxFailure('invalid_argument', `Ice breakers are an Instagram feature; this profile is on ${platformName(platform)}.`)
}

export async function loadIceBreakers(session: ActiveSession): Promise<IceBreakerSettings> {
  const platform = platformOf(session)
  if (platform !== ICE_BREAKER_PLATFORM) return { supported: false, platform, iceBreakers: [] }
  return { supported: true, platform, iceBreakers: await session.client.getIceBreakers(session.profileId) }
}

export async function saveIceBreakers(session: ActiveSession, iceBreakers: readonly IceBreaker[]): Promise<IceBreakerSettings> {
  const platform = platformOf(session)
  if (platform !== ICE_BREAKER_PLATFORM) throw unsupported(platform)
  const check = checkIceBreakers(iceBreakers)
  if (!check.ok) throw new InboxFailure('invalid_argument', check.errors.join(' '))
  return { supported: true, platform, iceBreakers: await session.client.setIceBreakers(session.profileId, check.value) }
}

export async function deleteIceBreakers(session: ActiveSession): Promise<IceBreakerSettings> {
  const platform = platformOf(session)
  if (platform !== ICE_BREAKER_PLATFORM) throw unsupported(platform)
  await session.client.deleteIceBreakers(session.profileId)
  return { supported: true, platform, iceBreakers: [] }
}
