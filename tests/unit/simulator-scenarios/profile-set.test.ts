// The multi-profile world's other profiles (simulator/scenarios/profile-set.ts), as written to a sink:
// a Facebook Page with Messenger's shapes, a TikTok account, a second Instagram account in its own
// profile group; deterministic per seed, ids stable per account whatever the seed.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkInteractiveSend } from '../../../shared/interactive-rules.ts'
import { ChatSchema, MessageSchema, ProfileSchema, type Chat, type Message } from '../../../shared/postproxy.ts'
import { buildDemoScenario, buildProfileSet, profileSetIds } from '../../../simulator/scenarios/index.ts'
import { collectingSink, fixedClock, type Collected } from './collecting-sink.ts'

const OPTIONS = { account: 'acct_multi', primaryProfileId: 'prof_demo', primaryGroupId: 'pg_main', clock: fixedClock, seed: 3, withContent: true }

function profileSet(overrides: Partial<typeof OPTIONS> = {}): Collected {
  const collected = collectingSink()
  buildProfileSet(collected.sink, { ...OPTIONS, ...overrides })
  return collected
}

function fingerprint(c: Collected): string {
  return createHash('sha256').update(JSON.stringify([c.profiles, c.chats, c.messages, c.posts, c.comments, [...c.iceBreakers]])).digest('hex')
}

describe('the multi-profile set', () => {
  const c = profileSet()
  const byPlatform = (platform: string) => c.profiles.filter((profile) => profile.platform === platform)
  const page = byPlatform('facebook')[0]
  const school = byPlatform('instagram')[0]
  const tiktok = byPlatform('tiktok')[0]
  const chatsOf = (profileId: string) => c.chats.filter((chat) => chat.profile_id === profileId)
  const messagesOf = (chats: Chat[]): Message[] => c.messages.filter((message) => chats.some((chat) => chat.id === message.chat_id))

  it('is a Facebook Page and a TikTok account in the primary group, and a second Instagram account in a group of its own', () => {
    expect(c.profiles.map((profile) => profile.platform)).toEqual(['facebook', 'tiktok', 'instagram'])
    for (const profile of c.profiles) expect(ProfileSchema.parse(profile)).toEqual(profile)
    expect(page).toMatchObject({ name: 'Clay & Tide Studio', status: 'active', profile_group_id: 'pg_main', username: 'clayandtidestudio' })
    expect(tiktok).toMatchObject({ status: 'active', profile_group_id: 'pg_main' })
    expect(school).toMatchObject({ name: 'Tide Clay School', status: 'active', username: 'tide.clayschool' })
    expect(school.profile_group_id).not.toBe('pg_main')
    expect(school.profile_group_id).toMatch(/^pg_/)
    // Postproxy: a profile group holds at most one profile per platform (the primary is Instagram).
    expect(school.profile_group_id).not.toBe(page.profile_group_id)
    expect(page.external_id).toMatch(/^1\d{14}$/)
    expect(school.external_id).toMatch(/^17841\d{10}$/)
    for (const profile of c.profiles) expect(profile.avatar_url).toMatch(/^http/)
  })

  it('gives the profiles ids that follow the account and primary profile, not the seed', () => {
    const ids = profileSetIds(OPTIONS.account, OPTIONS.primaryProfileId)
    expect([page.id, tiktok.id, school.id, school.profile_group_id]).toEqual([ids.facebook, ids.tiktok, ids.school, ids.schoolGroup])
    expect(profileSet({ seed: 99 }).profiles.map((profile) => profile.id)).toEqual(c.profiles.map((profile) => profile.id))
    expect(profileSetIds('acct_other', OPTIONS.primaryProfileId).facebook).not.toBe(ids.facebook)
  })

  it('is the same for the same seed and differs for another', () => {
    expect(fingerprint(profileSet())).toBe(fingerprint(c))
    expect(fingerprint(profileSet({ seed: 4 }))).not.toBe(fingerprint(c))
  })

  it('gives the Page Messenger chats: PSIDs, no handle, no participant signals, Messenger message ids', () => {
    const chats = chatsOf(page.id)
    expect(chats.length).toBeGreaterThanOrEqual(6)
    for (const chat of chats) {
      expect(ChatSchema.parse(chat)).toEqual(chat)
      expect(chat.platform).toBe('facebook')
      expect(chat.participant_external_id).toMatch(/^[1-9]\d{15}$/)
      expect(chat.participant_username).toBeNull()
      expect(chat.participant_name).toMatch(/\w/)
      for (const key of ['is_verified_user', 'follower_count', 'is_user_follow_business', 'is_business_follow_user']) {
        expect(chat.metadata?.[key as keyof typeof chat.metadata]).toBeUndefined()
      }
    }
    expect(chats.some((chat) => chat.metadata?.referral?.source === 'ADS')).toBe(true)
    const messages = messagesOf(chats)
    for (const message of messages) {
      expect(MessageSchema.parse(message)).toEqual(message)
      if (message.external_id) expect(message.external_id).toMatch(/^m_[0-9a-v]+$/)
      expect(message.platform_data?.story_reply ?? null).toBeNull()
      expect((message.attachments ?? []).some((attachment) => attachment.type === 'story_mention')).toBe(false)
      expect(message.external_deleted_at).toBeNull()
    }
  })

  it('shows every messaging-window state on Messenger too, with a HUMAN_AGENT reply and a send refused outside the window', () => {
    const chats = chatsOf(page.id)
    const hoursSinceInbound = chats.map((chat) => (chat.last_inbound_at ? (fixedClock.now() - Date.parse(chat.last_inbound_at)) / 3_600_000 : null))
    expect(hoursSinceInbound.some((hours) => hours !== null && hours < 22)).toBe(true)
    expect(hoursSinceInbound.some((hours) => hours !== null && hours >= 22 && hours < 24)).toBe(true)
    expect(hoursSinceInbound.some((hours) => hours !== null && hours >= 24 && hours < 168)).toBe(true)
    expect(hoursSinceInbound.some((hours) => hours !== null && hours >= 168)).toBe(true)
    expect(hoursSinceInbound).toContain(null)
    const messages = messagesOf(chats)
    expect(messages.some((message) => message.tag === 'HUMAN_AGENT' && message.status === 'published')).toBe(true)
    expect(messages.some((message) => message.status === 'failed' && /outside of allowed window/.test(message.error_message ?? ''))).toBe(true)
    for (const message of messages) {
      if (message.external_posted_at) expect(Date.parse(message.external_posted_at)).toBeLessThan(fixedClock.now())
    }
  })

  it('has Messenger’s reactions beyond love, named as Meta names them, and a quick reply sent with buttons', () => {
    const reactions = messagesOf(chatsOf(page.id)).flatMap((message) => message.reactions ?? [])
    expect(reactions).toContainEqual(expect.objectContaining({ emoji: '👍', reaction: 'like' }))
    expect(reactions).toContainEqual(expect.objectContaining({ emoji: '😆', reaction: 'smile', sender_external_id: page.external_id }))
    const both = messagesOf(chatsOf(page.id)).find((message) => message.quick_replies && message.buttons)
    expect(both).toBeDefined()
    // Allowed on Messenger, refused on Instagram: the demo shows the difference.
    const input = { body: both!.body ?? null, hasMedia: false, quickReplies: both!.quick_replies, buttons: both!.buttons }
    expect(checkInteractiveSend({ platform: 'facebook', ...input }).ok).toBe(true)
    expect(checkInteractiveSend({ platform: 'instagram', ...input }).ok).toBe(false)
    expect(messagesOf(chatsOf(page.id)).some((message) => message.tapped_action?.kind === 'quick_reply')).toBe(true)
  })

  it('gives the Page its posts and comments in Facebook’s shapes; the TikTok account posts only', () => {
    const pagePosts = c.posts.filter((post) => post.profile_id === page.id)
    expect(pagePosts.length).toBe(3)
    for (const post of pagePosts) {
      expect(post.platform).toBe('facebook')
      expect(post.external_id).toMatch(new RegExp(`^${page.external_id}_[1-9]\\d{15}$`))
      expect(post.permalink).toBe(`https://www.facebook.com/${page.external_id}/posts/${post.external_id.split('_')[1]}/`)
    }
    const pageComments = c.comments.filter((comment) => comment.profile_id === page.id)
    expect(pageComments.length).toBeGreaterThanOrEqual(5)
    for (const comment of pageComments) {
      const post = pagePosts.find((candidate) => candidate.id === comment.post_id)!
      expect(comment.external_id).toMatch(new RegExp(`^${post.external_id.split('_')[1]}_[1-9]\\d{15}$`))
      expect(comment.permalink).toBe(`${post.permalink}?comment_id=${comment.external_id.split('_')[1]}`)
      if (!comment.from_business) expect(comment.author_username).toBeNull()
    }
    // A commenter who never wrote has a pre-created Messenger chat: the private reply's target.
    const neverOpened = chatsOf(page.id).find((chat) => chat.last_inbound_at === null)!
    expect(pageComments.some((comment) => comment.author_external_id === neverOpened.participant_external_id)).toBe(true)

    expect(c.posts.filter((post) => post.profile_id === tiktok.id).map((post) => post.platform)).toEqual(['tiktok', 'tiktok'])
    expect(chatsOf(tiktok.id)).toEqual([])
    expect(c.iceBreakers.has(page.id)).toBe(false)
  })

  it('gives the second Instagram account Instagram’s shapes: IGSIDs, signals, a story reply, its own ice breakers', () => {
    const chats = chatsOf(school.id)
    expect(chats.length).toBeGreaterThanOrEqual(5)
    for (const chat of chats) {
      expect(chat.platform).toBe('instagram')
      expect(chat.participant_external_id).toMatch(/^igsid_\d{16}$/)
      expect(chat.participant_username).toMatch(/\w/)
    }
    expect(chats.some((chat) => typeof chat.metadata?.follower_count === 'number')).toBe(true)
    const messages = messagesOf(chats)
    expect(messages.some((message) => message.platform_data?.story_reply)).toBe(true)
    expect(messages.filter((message) => message.external_id).every((message) => message.external_id!.startsWith('mid.'))).toBe(true)
    expect(c.iceBreakers.get(school.id)?.length).toBe(3)
    expect(c.posts.filter((post) => post.profile_id === school.id).every((post) => post.permalink?.startsWith('https://www.instagram.com/p/'))).toBe(true)
  })

  it('without the demo’s content writes the profiles alone', () => {
    const bare = profileSet({ withContent: false })
    expect(bare.profiles.map((profile) => profile.platform)).toEqual(['facebook', 'tiktok', 'instagram'])
    expect([bare.chats, bare.messages, bare.posts, bare.comments]).toEqual([[], [], [], []])
  })

  it('does not touch the primary demo: it is written exactly as without the set', () => {
    const alone = collectingSink()
    buildDemoScenario(alone.sink, { account: OPTIONS.account, profileId: OPTIONS.primaryProfileId, clock: fixedClock, seed: OPTIONS.seed })
    const withSet = collectingSink()
    buildDemoScenario(withSet.sink, { account: OPTIONS.account, profileId: OPTIONS.primaryProfileId, clock: fixedClock, seed: OPTIONS.seed })
    buildProfileSet(withSet.sink, OPTIONS)
    const primaryOnly = (collected: Collected) => ({
      chats: collected.chats.filter((chat) => chat.profile_id === OPTIONS.primaryProfileId),
      posts: collected.posts.filter((post) => post.profile_id === OPTIONS.primaryProfileId)
    })
    expect(primaryOnly(withSet)).toEqual(primaryOnly(alone))
    expect(withSet.chats.length).toBeGreaterThan(alone.chats.length)
  })
})
