// The ice breakers of the Instagram profile in focus (the filtered one, else the first; POSTPROXY.md §9). They live on Postproxy, not in the
// local cache: Settings loads them when it opens and saves them whole. A list is checked with the server's
// own rules and sentences (`checkIceBreakers`) before anything is sent, and other platforms are told, in
// words, that they have none.
import type { IceBreakerSettings } from '../../../shared/inbox-api.ts'
import { checkIceBreakers, platformName } from '../../../shared/interactive-rules.ts'
import type { IceBreaker } from '../../../shared/postproxy-interactive.ts'
import { InboxFailure } from '../inbox-failure.ts'
import { focusLane, type ActiveSession } from '../session/active-session.ts'

export const ICE_BREAKER_PLATFORM = 'instagram'

function focusOf(session: ActiveSession): { platform: string; profileId: string; client: ActiveSession['client'] } {
  const { profile, client } = focusLane(session)
  return { platform: profile.platform, profileId: profile.id, client }
}

function unsupported(platform: string): InboxFailure {
  return new InboxFailure('invalid_argument', `Ice breakers are an Instagram feature; this profile is on ${platformName(platform)}.`)
}

export async function loadIceBreakers(session: ActiveSession): Promise<IceBreakerSettings> {
  const { platform, profileId, client } = focusOf(session)
  if (platform !== ICE_BREAKER_PLATFORM) return { supported: false, platform, iceBreakers: [] }
  return { supported: true, platform, iceBreakers: await client.getIceBreakers(profileId) }
}

export async function saveIceBreakers(session: ActiveSession, iceBreakers: readonly IceBreaker[]): Promise<IceBreakerSettings> {
  const { platform, profileId, client } = focusOf(session)
  if (platform !== ICE_BREAKER_PLATFORM) throw unsupported(platform)
  const check = checkIceBreakers(iceBreakers)
  if (!check.ok) throw new InboxFailure('invalid_argument', check.errors.join(' '))
  return { supported: true, platform, iceBreakers: await client.setIceBreakers(profileId, check.value) }
}

export async function deleteIceBreakers(session: ActiveSession): Promise<IceBreakerSettings> {
  const { platform, profileId, client } = focusOf(session)
  if (platform !== ICE_BREAKER_PLATFORM) throw unsupported(platform)
  await client.deleteIceBreakers(profileId)
  return { supported: true, platform, iceBreakers: [] }
}
