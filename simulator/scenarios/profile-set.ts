// The multi-profile world (opt-in: `--profiles multi`, `startSimulator({ multiProfile: true })`): beside
// the creator's Instagram account (the demo, unchanged), the same key holds
//   - the studio's Facebook Page, for Messenger (same profile group as the Instagram account),
//   - a TikTok account, which has no DMs in Postproxy (same group),
//   - a second Instagram account, Tide Clay School, in a second profile group: Postproxy's docs say a
//     group holds at most one profile per platform.
// Profile and group ids follow the account and the primary profile only (not the seed), so a reset keeps
// them. With the demo's content each profile has its own chats, posts and comments; otherwise none.
import type { Profile } from '../../shared/postproxy.ts'
import type { AccountId, ScenarioSink, SimClock, SimPost } from '../contracts.ts'
import type { ArtworkSpec } from './artwork.ts'
import { paintArtwork } from './artwork.ts'
import { CREATOR_NAME } from './creator-profile.ts'
import { buildScriptedProfile, type ProfileScript } from './demo.ts'
import { MESSENGER_CHATS, PAGE_COMMENTS, PAGE_POSTS } from './messenger-script.ts'
import { mix32, seedFrom } from './prng.ts'
import { ScenarioIds } from './scenario-ids.ts'
import type { ScenarioSummary } from './scenario-summary.ts'
import { SCHOOL_CHATS, SCHOOL_COMMENTS, SCHOOL_ICE_BREAKERS, SCHOOL_NAME, SCHOOL_POSTS, SCHOOL_USERNAME } from './school-script.ts'

const DAY_MS = 24 * 60 * 60 * 1000

export const PAGE_USERNAME = 'clayandtidestudio'
export const TIKTOK_NAME = 'Clay & Tide'
export const TIKTOK_USERNAME = 'clayandtide'

/** The ids of the extra profiles and of the second profile group. */
export interface ProfileSetIds {
  facebook: string
  tiktok: string
  school: string
  schoolGroup: string
}

export function profileSetIds(account: AccountId, primaryProfileId: string): ProfileSetIds {
  const ids = new ScenarioIds(0, `profiles|${account}|${primaryProfileId}`)
  return { facebook: ids.next('prof'), tiktok: ids.next('prof'), school: ids.next('prof'), schoolGroup: ids.next('pg') }
}

export interface ProfileSetOptions {
  account: AccountId
  primaryProfileId: string
  /** The primary profile's group, which the Page and the TikTok account join. */
  primaryGroupId: string
  clock: SimClock
  seed: number
  /** The demo's chats, posts and comments for each profile; false: the profiles alone. */
  withContent: boolean
}

/** An Instagram business account id (17841…), different per label. */
function instagramAccountId(seed: number, label: string): string {
  return `17841${mix32(seedFrom(seed, label)).toString().padStart(10, '0')}`
}

/** Writes the extra profiles (and, with content, what each holds); returns what each got. */
export function buildProfileSet(sink: ScenarioSink, options: ProfileSetOptions): ScenarioSummary[] {
  const ids = profileSetIds(options.account, options.primaryProfileId)
  const now = options.clock.now()
  const pageId = new ScenarioIds(options.seed, `page|${options.account}`).facebookPageId()
  const schoolAccountId = instagramAccountId(options.seed, 'school')

  const page: Profile = {
    id: ids.facebook,
    name: CREATOR_NAME,
    platform: 'facebook',
    status: 'active',
    profile_group_id: options.primaryGroupId,
    // A Page's token from a long-lived user token does not expire.
    expires_at: null,
    avatar_url: null,
    external_id: pageId,
    username: PAGE_USERNAME
  }
  const school: Profile = {
    id: ids.school,
    name: SCHOOL_NAME,
    platform: 'instagram',
    status: 'active',
    profile_group_id: ids.schoolGroup,
    // Instagram's long-lived tokens last 60 days; this one was refreshed a while ago.
    expires_at: new Date(now + 41 * DAY_MS).toISOString(),
    avatar_url: null,
    external_id: schoolAccountId,
    username: SCHOOL_USERNAME
  }
  const tiktok: Profile = {
    id: ids.tiktok,
    name: TIKTOK_NAME,
    platform: 'tiktok',
    status: 'active',
    profile_group_id: options.primaryGroupId,
    expires_at: new Date(now + 300 * DAY_MS).toISOString(),
    avatar_url: null,
    external_id: new ScenarioIds(options.seed, `tiktok|${options.account}`).tiktokVideoId(),
    username: TIKTOK_USERNAME
  }

  if (!options.withContent) {
    for (const profile of [page, tiktok, school]) sink.profile(profile)
    return [page, tiktok, school].map((profile) => ({ profile, chats: 0, messages: 0, posts: 0, comments: 0 }))
  }

  const scenario = { account: options.account, clock: options.clock, seed: options.seed }
  const pageScript: ProfileScript = {
    platform: 'facebook',
    business: { externalId: pageId, username: PAGE_USERNAME, name: CREATOR_NAME },
    chats: MESSENGER_CHATS,
    posts: PAGE_POSTS,
    comments: PAGE_COMMENTS,
    iceBreakers: null,
    label: 'demo:facebook'
  }
  const schoolScript: ProfileScript = {
    platform: 'instagram',
    business: { externalId: schoolAccountId, username: SCHOOL_USERNAME, name: SCHOOL_NAME },
    chats: SCHOOL_CHATS,
    posts: SCHOOL_POSTS,
    comments: SCHOOL_COMMENTS,
    iceBreakers: SCHOOL_ICE_BREAKERS,
    label: 'demo:school'
  }
  const pageAvatar: ArtworkSpec = { scene: 'vase', glaze: 'sage', backdrop: 'cream' }
  const schoolAvatar: ArtworkSpec = { scene: 'rings', glaze: 'terracotta', backdrop: 'sky' }
  return [
    buildScriptedProfile(sink, { ...scenario, profileId: page.id }, page, pageScript, pageAvatar),
    writeTikTok(sink, options, tiktok),
    buildScriptedProfile(sink, { ...scenario, profileId: school.id }, school, schoolScript, schoolAvatar)
  ]
}

/** The TikTok account and two videos (their covers): posts an inbox lists, never DMs. */
function writeTikTok(sink: ScenarioSink, options: ProfileSetOptions, profile: Profile): ScenarioSummary {
  const ids = new ScenarioIds(options.seed, `demo:tiktok|${options.account}|${profile.id}`)
  const now = options.clock.now()
  const avatar = sink.media(ids.next('med'), paintArtwork({ scene: 'mug', glaze: 'terracotta', backdrop: 'ochre' }, 'clay-and-tide-tiktok.png'))
  const written: Profile = { ...profile, avatar_url: avatar }
  sink.profile(written)
  const videos = [
    { caption: 'Trimming a foot ring in 30 seconds #pottery #asmr', scene: 'bowl' as const, daysAgo: 2 },
    { caption: 'Opening the kiln after a glaze firing 🔥', scene: 'vase' as const, daysAgo: 8 }
  ]
  for (const video of videos) {
    const mediaId = ids.next('med')
    const url = sink.media(mediaId, paintArtwork({ scene: video.scene, glaze: 'cobalt', backdrop: 'cream', format: 'story' }, `tiktok-${video.daysAgo}.png`))
    const externalId = ids.tiktokVideoId()
    const post: SimPost = {
      id: ids.next('post'),
      profile_id: profile.id,
      platform: 'tiktok',
      external_id: externalId,
      caption: video.caption,
      media: [{ id: mediaId, url, content_type: 'image/png' }],
      permalink: `https://www.tiktok.com/@${TIKTOK_USERNAME}/video/${externalId}`,
      created_at: new Date(now - video.daysAgo * DAY_MS).toISOString()
    }
    sink.post(post)
  }
  return { profile: written, chats: 0, messages: 0, posts: videos.length, comments: 0 }
}
