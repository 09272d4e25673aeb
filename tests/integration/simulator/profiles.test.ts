// Several profiles per key (issue #13), over real HTTP: the opt-in multi-profile world (a Facebook Page
// for Messenger, a TikTok account, a second Instagram account in its own group, beside the demo's
// Instagram profile), `?profile_group_id=` scoping, per-profile routing of chats, sends, comments,
// private replies, posts and ice breakers, one webhook per key for every profile, a second key with its
// own set, and the default (single-profile) demo left as it was.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ChatPageSchema, ChatSchema, MessageSchema, ProfileListSchema, ProfileSchema, type Chat, type Profile } from '../../../shared/postproxy.ts'
import {
  chatWithInbound,
  expectNotFound,
  expectValidationError,
  parses,
  recordEmitted,
  SimClient,
  startTestSimulator,
  WebhookReceiver,
  type TestSimulator
} from './helpers.ts'

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..')

/** The CLI as a child process; killed if it is still running after `timeoutMs`. */
function runCli(args: string[], timeoutMs = 50_000) {
  const child = spawn(process.execPath, ['simulator/cli.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  child.on('exit', () => clearTimeout(timer))
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  return { child, output: () => ({ stdout, stderr }) }
}

async function profilesOf(api: SimClient, query = ''): Promise<Profile[]> {
  return parses(ProfileListSchema, (await api.get(`/api/profiles${query}`)).body).data
}

function pick(profiles: Profile[], platform: string, name?: string): Profile {
  const found = profiles.find((profile) => profile.platform === platform && (name === undefined || profile.name === name))
  if (!found) throw new Error(`no ${platform} profile ${name ?? ''}`)
  return found
}

async function chatsOf(api: SimClient, profileId: string): Promise<Chat[]> {
  return parses(ChatPageSchema, (await api.get(`/api/profiles/${profileId}/chats?per_page=100`)).body).data
}

describe('the multi-profile demo (read only)', () => {
  let t: TestSimulator
  let profiles: Profile[]

  beforeAll(async () => {
    t = await startTestSimulator({ scenario: 'demo', multiProfile: true })
    profiles = await profilesOf(t.api)
  })
  afterAll(async () => {
    await t.sim.close()
  })

  it('lists four profiles, the demo’s Instagram profile first, in two profile groups', () => {
    expect(profiles.map((profile) => [profile.platform, profile.name])).toEqual([
      ['instagram', 'Clay & Tide Studio'],
      ['facebook', 'Clay & Tide Studio'],
      ['tiktok', 'Clay & Tide'],
      ['instagram', 'Tide Clay School']
    ])
    expect(profiles[0].id).toBe(t.sim.profileId)
    expect(t.sim.profileIds).toEqual(profiles.map((profile) => profile.id))
    const main = profiles[0].profile_group_id
    expect(profiles.slice(0, 3).every((profile) => profile.profile_group_id === main)).toBe(true)
    expect(profiles[3].profile_group_id).not.toBe(main)
    for (const profile of profiles) expect(profile.status).toBe('active')
    expect(profiles.map((profile) => profile.post_count)).toEqual([6, 3, 2, 3])
  })

  it('scopes every call by ?profile_group_id=: other groups’ profiles, chats and posts are not found', async () => {
    const school = pick(profiles, 'instagram', 'Tide Clay School')
    const page = pick(profiles, 'facebook')
    const mainGroup = `?profile_group_id=${page.profile_group_id}`
    const schoolGroup = `?profile_group_id=${school.profile_group_id}`
    expect((await profilesOf(t.api, mainGroup)).map((profile) => profile.platform)).toEqual(['instagram', 'facebook', 'tiktok'])
    expect((await profilesOf(t.api, schoolGroup)).map((profile) => profile.id)).toEqual([school.id])
    expectNotFound(await t.api.get(`/api/profiles/${page.id}${schoolGroup}`))
    expectNotFound(await t.api.get(`/api/profiles/${school.id}/chats${mainGroup}`))
    const schoolChat = (await chatsOf(t.api, school.id))[0]
    expectNotFound(await t.api.get(`/api/chats/${schoolChat.id}${mainGroup}`))
    expect((await t.api.get(`/api/chats/${schoolChat.id}${schoolGroup}`)).status).toBe(200)
    const posts = (await t.api.get(`/api/posts${schoolGroup}&per_page=100`)).body
    expect(posts.total).toBe(3)
    expect(posts.data.every((post: { platforms: { profile_id: string }[] }) => post.platforms[0].profile_id === school.id)).toBe(true)
    expect((await t.api.get(`/api/comments${schoolGroup}&per_page=100`)).body.data.every((comment: { profile_id: string }) => comment.profile_id === school.id)).toBe(true)
  })

  it('keeps the demo’s Instagram profile exactly as the single-profile demo has it (40 chats)', async () => {
    const chats = await chatsOf(t.api, t.sim.profileId)
    expect(chats).toHaveLength(40)
    expect(chats.every((chat) => chat.platform === 'instagram' && chat.participant_external_id.startsWith('igsid_'))).toBe(true)
    expect((await t.api.get(`/api/profiles/${t.sim.profileId}/ice_breakers`)).body.ice_breakers).toHaveLength(4)
  })

  it('routes each profile’s chats to it: Messenger chats with PSIDs and no signals, school chats with IGSIDs', async () => {
    const page = pick(profiles, 'facebook')
    const school = pick(profiles, 'instagram', 'Tide Clay School')
    const messenger = await chatsOf(t.api, page.id)
    expect(messenger.length).toBe(8)
    for (const chat of messenger) {
      expect(chat).toMatchObject({ profile_id: page.id, platform: 'facebook', participant_username: null })
      expect(chat.participant_external_id).toMatch(/^\d{16}$/)
      expect(chat.metadata?.is_verified_user).toBeUndefined()
      expect(chat.metadata?.follower_count).toBeUndefined()
    }
    const schoolChats = await chatsOf(t.api, school.id)
    expect(schoolChats.length).toBe(6)
    expect(schoolChats.every((chat) => chat.profile_id === school.id && chat.participant_external_id.startsWith('igsid_'))).toBe(true)
    const messages = parses(ChatPageSchema.extend({ data: MessageSchema.array() }), (await t.api.get(`/api/chats/${messenger[0].id}/messages`)).body)
    expect(messages.data.filter((message) => message.external_id).every((message) => message.external_id!.startsWith('m_'))).toBe(true)
  })

  it('filters posts by platform and comments by profile or network', async () => {
    const platformsOf = async (query: string) =>
      (await t.api.get(`/api/posts?per_page=100${query}`)).body.data.map((post: { platforms: { platform: string }[] }) => post.platforms[0].platform)
    expect(await platformsOf('')).toHaveLength(14)
    expect(new Set(await platformsOf('&platforms=facebook'))).toEqual(new Set(['facebook']))
    expect(await platformsOf('&platforms=tiktok')).toEqual(['tiktok', 'tiktok'])
    expect(await platformsOf('&platforms=instagram')).toHaveLength(9)
    const page = pick(profiles, 'facebook')
    const byNetwork = (await t.api.get('/api/comments?profiles=facebook&per_page=100')).body
    const byId = (await t.api.get(`/api/comments?profiles=${page.id}&per_page=100`)).body
    expect(byNetwork.total).toBe(byId.total)
    expect(byNetwork.data.every((comment: { platform: string; profile_id: string }) => comment.platform === 'facebook' && comment.profile_id === page.id)).toBe(true)
  })

  it('keeps ice breakers per Instagram profile and refuses them on the Page and on TikTok, naming the platform', async () => {
    const school = pick(profiles, 'instagram', 'Tide Clay School')
    expect((await t.api.get(`/api/profiles/${school.id}/ice_breakers`)).body.ice_breakers.map((b: { payload: string }) => b.payload)).toEqual([
      'ICE_COURSE_LENGTH',
      'ICE_EXPERIENCE',
      'ICE_GIFT_CLASS'
    ])
    expectValidationError(await t.api.get(`/api/profiles/${pick(profiles, 'facebook').id}/ice_breakers`), 'not on Facebook Messenger.')
    expectValidationError(await t.api.get(`/api/profiles/${pick(profiles, 'tiktok').id}/ice_breakers`), 'not on tiktok.')
  })

  it('answers DM calls on the TikTok profile with 422 naming the platform', async () => {
    const tiktok = pick(profiles, 'tiktok')
    for (const response of [
      await t.api.get(`/api/profiles/${tiktok.id}/chats`),
      await t.api.post(`/api/profiles/${tiktok.id}/chats`, { participant_external_id: '123' }),
      await t.api.post('/_sim/inbound', { profile_id: tiktok.id, participant_external_id: '123', body: 'hi' })
    ]) {
      expectValidationError(response, `Profile ${tiktok.id} is on tiktok, which has no direct messages in Postproxy.`)
    }
  })
})

describe('the multi-profile world (writes)', () => {
  let t: TestSimulator
  let profiles: Profile[]

  beforeEach(async () => {
    t = await startTestSimulator({ scenario: 'empty', multiProfile: true })
    profiles = await profilesOf(t.api)
  })
  afterEach(async () => {
    await t.sim.close()
  })

  it('holds the profiles alone in the empty scenario', async () => {
    expect(profiles.map((profile) => profile.platform)).toEqual(['instagram', 'facebook', 'tiktok', 'instagram'])
    for (const profile of profiles.filter((p) => p.platform !== 'tiktok')) expect(await chatsOf(t.api, profile.id)).toEqual([])
  })

  it('routes control inbound, sends and their outcome to the named profile', async () => {
    const page = pick(profiles, 'facebook')
    const school = profiles[3]
    const emitted = recordEmitted(t.sim)
    const onPage = await t.api.post('/_sim/inbound', { profile_id: page.id, participant_external_id: '7000000000000001', participant_name: 'Ann', body: 'Hello page' })
    const onSchool = await t.api.post('/_sim/inbound', { profile_id: school.id, participant_external_id: 'igsid_9', body: 'Hello school' })
    expect(parses(ChatSchema, onPage.body.chat)).toMatchObject({ profile_id: page.id, platform: 'facebook' })
    expect(parses(ChatSchema, onSchool.body.chat)).toMatchObject({ profile_id: school.id, platform: 'instagram' })
    expect((await chatsOf(t.api, t.sim.profileId))).toEqual([])
    // The same participant id on two profiles is two chats.
    const twin = await t.api.post('/_sim/inbound', { profile_id: t.sim.profileId, participant_external_id: 'igsid_9', body: 'Hello studio' })
    expect(twin.body.chat.id).not.toBe(onSchool.body.chat.id)

    const sent = await t.api.post(`/api/chats/${onPage.body.chat.id}/messages`, { body: 'Hi Ann!' })
    expect(sent.status).toBe(202)
    t.sim.clock.advance(60_000)
    const published = parses(MessageSchema, (await t.api.get(`/api/messages/${sent.body.id}`)).body)
    expect(published).toMatchObject({ status: 'published', chat_id: onPage.body.chat.id })
    expect(published.external_id).toMatch(/^m_/)
    expect((await t.api.get(`/api/messages/${published.external_id}`)).body.id).toBe(sent.body.id)
    expect(emitted.map((event) => event.type)).toEqual(['message.received', 'message.received', 'message.received', 'message.sent'])
  })

  it('creates chats by participant per profile (find-or-create keeps profiles apart)', async () => {
    const page = pick(profiles, 'facebook')
    const first = await t.api.post(`/api/profiles/${page.id}/chats`, { participant_external_id: '7000000000000002', participant_name: 'Bo' })
    expect(first.status).toBe(201)
    expect(parses(ChatSchema, first.body)).toMatchObject({ profile_id: page.id, platform: 'facebook', last_inbound_at: null })
    expect((await t.api.post(`/api/profiles/${page.id}/chats`, { participant_external_id: '7000000000000002' })).status).toBe(200)
    expect((await t.api.post(`/api/profiles/${t.sim.profileId}/chats`, { participant_external_id: '7000000000000002' })).status).toBe(201)
  })

  it('sends comments, public replies and private replies through the post’s own profile', async () => {
    const page = pick(profiles, 'facebook')
    const post = (await t.api.post('/_sim/posts', { profile_id: page.id, caption: 'Market day' })).body
    expect(post.platforms[0]).toMatchObject({ platform: 'facebook', profile_id: page.id })
    expect(post.platforms[0].platform_post_id).toMatch(/^1\d{14}_1\d{15}$/)
    const comment = (await t.api.post('/_sim/comments', { profile_id: page.id, post_id: post.id, participant_external_id: '7000000000000003', participant_name: 'Cy', text: 'Price?' })).body
    expect(comment).toMatchObject({ platform: 'facebook', profile_id: page.id })
    expect(comment.external_id).toMatch(/^1\d{15}_1\d{15}$/)
    // The comment calls name the post's profile; another profile does not have the post.
    expectNotFound(await t.api.get(`/api/posts/${post.id}/comments?profile_id=${t.sim.profileId}`))
    const reply = await t.api.post(`/api/posts/${post.id}/comments?profile_id=${page.id}`, { text: 'Ten dollars!', parent_id: comment.id })
    expect(reply.status).toBe(201)
    expect(reply.body.external_id).toMatch(/^1\d{15}_1\d{15}$/)
    expect(reply.body.permalink).toBe(`${post.platforms[0].permalink}?comment_id=${reply.body.external_id.split('_')[1]}`)
    const dm = await t.api.post(`/api/posts/${post.id}/comments/${comment.id}/private_reply?profile_id=${page.id}`, { text: 'Sent you the list!' })
    expect(dm.status).toBe(202)
    expect(dm.body.external_comment_id).toBe(comment.external_id)
    const chat = parses(ChatSchema, (await t.api.get(`/api/chats/${dm.body.chat_id}`)).body)
    expect(chat).toMatchObject({ profile_id: page.id, platform: 'facebook', participant_external_id: '7000000000000003' })
  })

  it('delivers every profile’s events to the key’s one webhook', async () => {
    const receiver = new WebhookReceiver()
    await receiver.start()
    try {
      expect((await t.api.post('/api/webhooks', { url: receiver.url, events: ['*'] })).status).toBe(201)
      const page = pick(profiles, 'facebook')
      const school = profiles[3]
      await t.api.post('/_sim/inbound', { participant_external_id: 'igsid_1', body: 'to the studio' })
      await t.api.post('/_sim/inbound', { profile_id: page.id, participant_external_id: '7000000000000004', body: 'to the page' })
      await t.api.post('/_sim/inbound', { profile_id: school.id, participant_external_id: 'igsid_2', body: 'to the school' })
      await t.api.post('/_sim/comments', { profile_id: page.id, participant_external_id: '7000000000000005', text: 'Nice' })
      await receiver.waitFor(4)
      const events = receiver.received.map((delivery) => JSON.parse(delivery.rawBody))
      const profileOfChat = new Map<string, string>()
      for (const profile of profiles.filter((p) => p.platform !== 'tiktok')) {
        for (const chat of await chatsOf(t.api, profile.id)) profileOfChat.set(chat.id, profile.id)
      }
      const messageProfiles = events.filter((event) => event.type === 'message.received').map((event) => profileOfChat.get(event.data.message.chat_id))
      expect(new Set(messageProfiles)).toEqual(new Set([t.sim.profileId, page.id, school.id]))
      expect(events.find((event) => event.type === 'comment.created').data.platform).toBe('facebook')
    } finally {
      await receiver.close()
    }
  })

  it('keeps the set and its profile ids across a reset, and a reset may switch it off', async () => {
    const before = profiles.map((profile) => profile.id)
    const reset = await t.api.post('/_sim/reset', { scenario: 'demo' })
    expect(reset.status).toBe(200)
    expect(reset.body.profiles.map((profile: Profile) => profile.id)).toEqual(before)
    expect((await chatsOf(t.api, pick(profiles, 'facebook').id)).length).toBe(8)
    const single = await t.api.post('/_sim/reset', { scenario: 'empty', profiles: 'single' })
    expect(single.body.profiles.map((profile: Profile) => profile.id)).toEqual([t.sim.profileId])
    expectValidationError(await t.api.post('/_sim/reset', { profiles: 'many' }), 'Profiles must be "multi"')
  })
})

describe('a second key on the same world', () => {
  let t: TestSimulator

  beforeEach(async () => {
    t = await startTestSimulator({ scenario: 'empty' })
  })
  afterEach(async () => {
    await t.sim.close()
  })

  it('POST /_sim/accounts {"profiles":"multi"} makes a key with its own profile set; the keys see only their own', async () => {
    const created = await t.api.post('/_sim/accounts', { scenario: 'demo', profiles: 'multi', seed: 5 })
    expect(created.status).toBe(201)
    expect(created.body.profile_ids).toHaveLength(4)
    expect(created.body.profile_ids[0]).toBe(created.body.profile_id)
    const second = new SimClient(t.sim.url, created.body.api_key)
    const theirs = await profilesOf(second)
    expect(theirs.map((profile) => profile.id)).toEqual(created.body.profile_ids)
    expect((await chatsOf(second, theirs[1].id)).length).toBe(8)
    expect((await profilesOf(t.api)).map((profile) => profile.id)).toEqual([t.sim.profileId])
    for (const id of created.body.profile_ids) expectNotFound(await t.api.get(`/api/profiles/${id}`))
    const messengerChat = (await chatsOf(second, theirs[1].id))[0]
    expectNotFound(await t.api.get(`/api/chats/${messengerChat.id}`))
    expectNotFound(await t.api.post(`/api/chats/${messengerChat.id}/messages`, { body: 'hi' }))
  })

  it('createAccount({scenario: {multiProfile}}) does the same from code; the default stays one profile', () => {
    const multi = t.sim.createAccount({ scenario: { name: 'empty', seed: 1, multiProfile: true } })
    expect(multi.profileIds).toHaveLength(4)
    const single = t.sim.createAccount()
    expect(single.profileIds).toEqual([single.profileId])
  })
})

describe('alive', () => {
  it('keeps every profile with DMs moving (Instagram, Messenger, the second Instagram), none on TikTok', async () => {
    const t = await startTestSimulator({ scenario: 'demo', multiProfile: true, alive: true, aliveIntervalMs: 5 })
    try {
      const profiles = await profilesOf(t.api)
      // Waits for events, not for time: resolves once each DM profile had an inbound message (bounded).
      const seen = new Set<string>()
      const wanted = profiles.filter((profile) => profile.platform !== 'tiktok').map((profile) => profile.id)
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`personas reached only ${[...seen].join(', ')}`)), 25_000)
        const emit = t.sim.webhooks.emit.bind(t.sim.webhooks)
        t.sim.webhooks.emit = (account, type, data) => {
          emit(account, type, data)
          if (type !== 'message.received') return
          const chatId = (data.message as { chat_id: string }).chat_id
          const chat = t.sim.state.chat(account, chatId)
          if (chat) seen.add(chat.profile_id)
          if (wanted.every((id) => seen.has(id))) {
            clearTimeout(timer)
            resolve()
          }
        }
      })
      expect(seen.has(pick(profiles, 'tiktok').id)).toBe(false)
      const messenger = await chatsOf(t.api, pick(profiles, 'facebook').id)
      expect(messenger.every((chat) => /^\d{16}$/.test(chat.participant_external_id) && chat.metadata?.follower_count === undefined)).toBe(true)
    } finally {
      await t.sim.close()
    }
  })
})

describe('the default demo', () => {
  it('still lists its one Instagram profile', async () => {
    const t = await startTestSimulator({ scenario: 'demo' })
    try {
      const profiles = await profilesOf(t.api)
      expect(profiles.map((profile) => profile.platform)).toEqual(['instagram'])
      expect(t.sim.profileIds).toEqual([t.sim.profileId])
      const { chat } = await chatWithInbound(t.api, 'igsid_new')
      expect(parses(ChatSchema, (await t.api.get(`/api/chats/${chat.id}`)).body).profile_id).toBe(t.sim.profileId)
    } finally {
      await t.sim.close()
    }
  })
})

describe('the CLI', () => {
  // A child process each: slow to start on a loaded machine, so they have room.
  it('takes --profiles multi and announces every profile id', { timeout: 60_000 }, async () => {
    const { child } = runCli(['--profiles', 'multi', '--scenario', 'empty', '--no-alive'])
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string]
      const started = JSON.parse(line)
      expect(Object.keys(started).sort()).toEqual(['apiKey', 'profileId', 'profileIds', 'url'])
      expect(started.profileIds).toHaveLength(4)
      const api = new SimClient(started.url, started.apiKey)
      expect((await profilesOf(api)).map((profile) => profile.id)).toEqual(started.profileIds)
      expect(parses(ProfileSchema, (await api.get(`/api/profiles/${started.profileIds[1]}`)).body).platform).toBe('facebook')
    } finally {
      child.kill('SIGTERM')
      if (child.exitCode === null) await once(child, 'exit')
    }

  })

  it('lists --profiles in --help and refuses anything but single or multi', { timeout: 60_000 }, async () => {
    const help = runCli(['--help'])
    expect((await once(help.child, 'exit'))[0]).toBe(0)
    expect(help.output().stdout).toMatch(/--profiles single\|multi/)

    const bad = runCli(['--profiles', 'many'])
    expect((await once(bad.child, 'exit'))[0]).toBe(2)
    expect(bad.output().stderr).toContain('--profiles must be single or multi, not "many".')
  })
})
