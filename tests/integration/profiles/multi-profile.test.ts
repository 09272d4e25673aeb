// Several profiles in one inbox (issue #13), end to end: the real core (Inbox through its InboxApi) on a real
// SQLite file, signed in over real HTTP to a simulator whose key reaches two Instagram accounts, a Facebook
// Page (Messenger) and a TikTok account (no DMs). One session syncs every messaging profile; the filter
// narrows the lists; unread counts add up over all; sends and new messages go by the chat's profile; a
// profile that expires is said in plain words, stays readable and refuses sends; a second API key adds its
// profiles and takes them away again.
import { afterEach, expect, it } from 'vitest'
import type { ChatSummary, InboxStatus, Session } from '../../../shared/inbox-api.ts'
import type { RelayHandle } from '../../../relay/index.ts'
import { commentsWorld, pairedWithRelay, signedIn, type CommentsWorld } from '../comments/comments-world.ts'

const ADMIN_TOKEN = 'multi-profile-test-admin-token-42'
/** Each test signs in and syncs four profiles (and some restart): more than vitest's default on a busy machine. */
const SLOW = 120_000

let world: CommentsWorld | undefined
let relay: RelayHandle | undefined
afterEach(async () => {
  await world?.close()
  await relay?.close()
  world = undefined
  relay = undefined
})

type SignedIn = Extract<Session, { state: 'signed_in' }>

async function multiWorld(): Promise<CommentsWorld> {
  const w = await commentsWorld({ multiProfile: true })
  await signedIn(w)
  return w
}

async function session(w: CommentsWorld): Promise<SignedIn> {
  const result = await w.inbox.api.getSession()
  if (!result.ok || result.value.state !== 'signed_in') throw new Error('not signed in')
  return result.value
}

async function everyChat(w: CommentsWorld): Promise<ChatSummary[]> {
  const result = await w.inbox.api.listChats({ limit: 200 })
  if (!result.ok) throw new Error(result.error.message)
  return result.value.chats
}

/** The simulator's profile ids, by role: [Instagram studio, Messenger Page, TikTok, Instagram school]. */
function profileIds(w: CommentsWorld) {
  const [instagram, messenger, tiktok, school] = w.sim.profileIds
  return { instagram, messenger, tiktok, school }
}

it('syncs every messaging profile into one list, filters by profile, and counts unread over all of them', async () => {
  world = await multiWorld()
  const ids = profileIds(world)

  const view = await session(world)
  expect(view.profileFilter).toBeNull()
  expect(view.accounts).toEqual([{ id: 'account-1', label: 'Postproxy account 1' }])
  expect(view.profiles.map((p) => [p.id, p.platform, p.messaging, p.problem])).toEqual([
    [ids.instagram, 'instagram', true, null],
    [ids.school, 'instagram', true, null],
    [ids.messenger, 'facebook', true, null],
    [ids.tiktok, 'tiktok', false, null]
  ])
  expect(JSON.stringify(view)).not.toContain(world.sim.apiKey)

  // One list across profiles, newest activity first, as the simulator holds them.
  const chats = await everyChat(world)
  const expected = [ids.instagram, ids.messenger, ids.school].flatMap((id) => world!.sim.control.listChats(world!.sim.account, id))
  expect(new Set(chats.map((c) => c.id))).toEqual(new Set(expected.map((c) => c.id)))
  expect(new Set(chats.map((c) => c.profileId))).toEqual(new Set([ids.instagram, ids.messenger, ids.school]))
  const activity = chats.filter((c) => !c.triage.pinned && c.lastMessageAt !== null).map((c) => Date.parse(c.lastMessageAt!))
  expect(activity).toEqual([...activity].sort((a, b) => b - a))
  expect(chats.filter((c) => c.profileId === ids.messenger).every((c) => c.platform === 'facebook')).toBe(true)

  // The filter narrows chats (and keeps the session running: no new first sync).
  const filtered = await world.inbox.api.selectProfile({ profileId: ids.messenger })
  expect(filtered).toMatchObject({ ok: true, value: { profileFilter: ids.messenger } })
  const messengerChats = await everyChat(world)
  expect(messengerChats.length).toBe(world.sim.control.listChats(world.sim.account, ids.messenger).length)
  expect(messengerChats.every((c) => c.profileId === ids.messenger)).toBe(true)
  expect(await world.inbox.api.selectProfile({ profileId: 'prof_not_mine' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  expect(await world.inbox.api.selectProfile({ profileId: null })).toMatchObject({ ok: true, value: { profileFilter: null } })

  // Unread: per profile and over all (the app badge).
  const status = await world.inbox.api.getStatus()
  if (!status.ok) throw new Error('no status')
  const perProfile = Object.fromEntries(
    [ids.instagram, ids.messenger, ids.school].map((id) => [id, chats.filter((c) => c.profileId === id && c.triage.view === 'inbox').reduce((n, c) => n + c.unreadCount, 0)])
  )
  expect(status.value.unreadByProfile).toEqual(Object.fromEntries(Object.entries(perProfile).filter(([, n]) => n > 0)))
  expect(status.value.unreadByProfile[ids.messenger]).toBeGreaterThan(0)
  expect(status.value.unreadTotal).toBe(Object.values(perProfile).reduce((a, b) => a + b, 0))

  // The filter survives a restart.
  await world.inbox.api.selectProfile({ profileId: ids.school })
  await world.restart()
  expect((await session(world)).profileFilter).toBe(ids.school)
}, SLOW)

it('a poll with nothing new costs each messaging profile one request for chats', async () => {
  world = await multiWorld()
  const ids = profileIds(world)
  world.requests.length = 0
  expect(await world.inbox.api.syncNow()).toMatchObject({ ok: true })
  const chatLists = world.requests.filter((r) => r.attempt === 1 && /\/api\/profiles\/[^/]+\/chats/.test(r.path))
  expect(chatLists.map((r) => decodeURIComponent(r.path.split('/')[3])).sort()).toEqual([ids.instagram, ids.messenger, ids.school].sort())
  // Besides those, only each profile's comment feed (one request each) and, as the creator asked for a
  // sync, one look at the profiles; nothing per chat, nothing for TikTok.
  const others = world.requests.filter((r) => r.attempt === 1 && !chatLists.includes(r)).map((r) => r.path.split('?')[0])
  expect(others.filter((path) => path !== '/api/profiles').every((path) => path === '/api/comments')).toBe(true)
  expect(others.filter((path) => path === '/api/comments').length).toBeLessThanOrEqual(3)
  expect(others.filter((path) => path === '/api/profiles').length).toBe(1)
}, SLOW)

it('routes new messages and sends by the chat\'s profile: a Messenger chat answers from the Page', async () => {
  world = await multiWorld()
  const { sim, inbox } = world
  const ids = profileIds(world)

  // A new Messenger message reaches the unified list under the Page's profile, and is announced.
  const announced = world.nextEvent('inbound-message', (e) => e.preview === 'Is the studio open on Sunday?')
  const { chat } = sim.control.injectInboundWithChat(sim.account, ids.messenger, { participant_external_id: '7000000000000042', participant_name: 'Ana Souza', body: 'Is the studio open on Sunday?' })
  await inbox.api.syncNow()
  // The notification names the profile that got it: several take messages.
  expect(await announced).toMatchObject({ chatId: chat.id, profile: 'Clay & Tide Studio · Messenger' })
  const listed = (await everyChat(world)).find((c) => c.id === chat.id)
  expect(listed).toMatchObject({ profileId: ids.messenger, platform: 'facebook', participant: { name: 'Ana Souza' } })

  // The answer goes to that chat on Postproxy (the Page's inbox), once.
  const sent = await inbox.api.sendText({ chatId: chat.id, text: 'Yes, 10 to 4!' })
  expect(sent).toMatchObject({ ok: true })
  await world.untilComments(async () => {
    const thread = await inbox.api.getThread({ chatId: chat.id })
    return thread.ok && thread.value.messages.some((m) => m.body === 'Yes, 10 to 4!' && m.status !== 'queued' && m.status !== 'sending') ? true : null
  })
  const onServer = sim.control.listMessages(sim.account, chat.id, 10).filter((m) => m.body === 'Yes, 10 to 4!')
  expect(onServer).toHaveLength(1)
  expect(sim.control.listChats(sim.account, ids.instagram).some((c) => c.id === chat.id)).toBe(false)
}, SLOW)

it('a profile that expires mid-session is said in plain words, stays readable, refuses sends and keeps the draft', async () => {
  world = await multiWorld()
  const { sim, inbox } = world
  const ids = profileIds(world)
  const messengerChat = (await everyChat(world)).find((c) => c.profileId === ids.messenger && c.lastInboundAt !== null)!

  sim.profileConnections.expire(sim.account, ids.messenger)
  // No tunnel here (it would bring profile.disconnected at once): the core learns it from Postproxy.
  await inbox.api.saveDraft({ chatId: messengerChat.id, text: 'We restock on Friday' })
  const refused = await inbox.api.sendText({ chatId: messengerChat.id, text: 'We restock on Friday' })
  // Either the core already knows (refused at once) or Postproxy refuses it (the send fails with its words).
  if (refused.ok) {
    await world.untilComments(async () => {
      const thread = await inbox.api.getThread({ chatId: messengerChat.id })
      return thread.ok && thread.value.messages.some((m) => m.body === 'We restock on Friday' && m.status === 'failed') ? true : null
    })
  }
  const changed = world.nextEvent('session', (s: Session) => s.state === 'signed_in' && s.profiles.some((p) => p.id === ids.messenger && p.problem !== null))
  await inbox.api.syncNow()
  const view = (await changed) as SignedIn
  const messenger = view.profiles.find((p) => p.id === ids.messenger)!
  expect(messenger.status).toBe('expired')
  expect(messenger.problem).toMatch(/^The Facebook Messenger connection of "Clay & Tide Studio" expired.*Reconnect it in Postproxy to send messages; its conversations stay here to read\.$/)

  // Now refused at once, in those words; the draft stays; the chats still read.
  const again = await inbox.api.sendText({ chatId: messengerChat.id, text: 'We restock on Friday' })
  expect(again).toEqual({ ok: false, error: { code: 'profile_unavailable', message: messenger.problem } })
  expect(await inbox.api.getDraft({ chatId: messengerChat.id })).toEqual({ ok: true, value: 'We restock on Friday' })
  expect((await everyChat(world)).some((c) => c.id === messengerChat.id)).toBe(true)
  const thread = await inbox.api.getThread({ chatId: messengerChat.id })
  expect(thread.ok && thread.value.messages.length).toBeGreaterThan(0)
  // Instagram chats are unaffected.
  const instagramChat = (await everyChat(world)).find((c) => c.profileId === ids.instagram && c.lastInboundAt !== null && Date.now() - Date.parse(c.lastInboundAt) < 3_600_000)
  if (instagramChat) expect(await inbox.api.sendText({ chatId: instagramChat.id, text: 'Still here' })).toMatchObject({ ok: true })

  // Reconnected: the problem goes away with the next profile check.
  sim.profileConnections.reconnect(sim.account, ids.messenger)
  const back = world.nextEvent('session', (s: Session) => s.state === 'signed_in' && s.profiles.some((p) => p.id === ids.messenger && p.problem === null))
  await inbox.api.syncNow()
  await back
}, SLOW)

it('one relay pairing carries every profile: a Messenger message, a profile\'s lost connection and a profile connected at run time arrive live', async () => {
  world = await commentsWorld({ multiProfile: true, retryDelayScale: 0.001 })
  await signedIn(world)
  relay = await pairedWithRelay(world, ADMIN_TOKEN)
  const { sim } = world
  const ids = profileIds(world)
  // One webhook for the key, subscribed to the profiles' connection events too.
  const hooks = sim.webhooks.list(sim.account)
  expect(hooks).toHaveLength(1)
  expect(hooks[0].events).toEqual(expect.arrayContaining(['message.received', 'comment.created', 'profile.connected', 'profile.disconnected']))

  // A Messenger message: through the relay, into the Page's chat, announced with the profile's name.
  const announced = world.nextEvent('inbound-message', (e) => e.preview === 'Do you ship to Lisbon?')
  const { chat } = sim.control.injectInboundWithChat(sim.account, ids.messenger, { participant_external_id: '7000000000000077', participant_name: 'Rui Costa', body: 'Do you ship to Lisbon?' })
  expect(await announced).toMatchObject({ chatId: chat.id, profile: 'Clay & Tide Studio · Messenger' })
  expect((await everyChat(world)).find((c) => c.id === chat.id)).toMatchObject({ profileId: ids.messenger, platform: 'facebook' })

  // The school's Instagram token expires: profile.disconnected says so at once, no sync asked for.
  const expired = world.nextEvent('session', (s: Session) => s.state === 'signed_in' && s.profiles.some((p) => p.id === ids.school && p.problem !== null))
  sim.profileConnections.expire(sim.account, ids.school)
  const view = (await expired) as SignedIn
  expect(view.profiles.find((p) => p.id === ids.school)?.problem).toMatch(/^The Instagram connection of "Tide Clay School" expired/)
  // Reconnected: profile.connected clears it.
  const back = world.nextEvent('session', (s: Session) => s.state === 'signed_in' && s.profiles.every((p) => p.problem === null))
  sim.profileConnections.reconnect(sim.account, ids.school)
  await back

  // A profile connected while the app runs (profile.connected for an id nobody knew): it joins the inbox,
  // and its messages arrive like the others'.
  const joined = world.nextEvent('session', (s: Session) => s.state === 'signed_in' && s.profiles.some((p) => p.name === 'Clay & Tide Outlet'))
  const added = sim.profileConnections.add(sim.account, { platform: 'instagram', name: 'Clay & Tide Outlet', username: 'clayandtide.outlet' })
  expect(((await joined) as SignedIn).profiles.find((p) => p.id === added.id)).toMatchObject({ messaging: true, problem: null, accountId: 'account-1' })
  const hello = world.nextEvent('inbound-message', (e) => e.preview === 'First message to the outlet')
  sim.control.injectInboundWithChat(sim.account, added.id, { participant_external_id: 'igsid_outlet_fan', participant_username: 'outlet.fan', body: 'First message to the outlet' })
  expect(await hello).toMatchObject({ profile: 'Clay & Tide Outlet · Instagram' })
}, SLOW)

it('a second API key joins its profiles to the inbox, kept in the keychain, and takes them away when removed', async () => {
  world = await multiWorld()
  const { sim, inbox, secrets } = world
  const second = sim.createAccount({ scenario: { name: 'demo', seed: 11 } })

  expect(await inbox.api.addApiKey({ apiKey: 'pp_not_a_key' })).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringMatching(/^Postproxy didn't accept this API key/) } })
  expect(await inbox.api.addApiKey({ apiKey: sim.apiKey })).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: 'This API key is already in dmdesk.' } })

  const added = await inbox.api.addApiKey({ apiKey: second.apiKey })
  if (!added.ok || added.value.state !== 'signed_in') throw new Error(`not added: ${JSON.stringify(added)}`)
  expect(added.value.accounts.map((a) => a.label)).toEqual(['Postproxy account 1', 'Postproxy account 2'])
  const accountId = added.value.accounts[1].id
  expect(added.value.profiles.filter((p) => p.accountId === accountId).map((p) => p.id)).toEqual([second.profileId])
  expect(await secrets.get(`postproxy-api-key:${accountId}`)).toBe(second.apiKey)
  expect(JSON.stringify(added)).not.toContain(second.apiKey)

  await world.synced()
  await world.untilComments(async () => ((await everyChat(world!)).some((c) => c.profileId === second.profileId) ? true : null))
  const secondChats = sim.control.listChats(second.account, second.profileId)
  expect((await everyChat(world)).filter((c) => c.profileId === second.profileId).length).toBe(secondChats.length)

  // A send to the second account's chat goes with the second key.
  const { chat: fresh } = sim.control.injectInboundWithChat(second.account, second.profileId, { participant_external_id: 'igsid_agency_fan', participant_username: 'agency.fan', body: 'Hi from the second account' })
  await world.inbox.api.syncNow()
  await world.untilComments(async () => ((await everyChat(world!)).some((c) => c.id === fresh.id) ? true : null))
  expect(await world.inbox.api.sendText({ chatId: fresh.id, text: 'Hello from the agency' })).toMatchObject({ ok: true })
  await world.untilComments(async () => {
    const thread = await world!.inbox.api.getThread({ chatId: fresh.id })
    return thread.ok && thread.value.messages.some((m) => m.body === 'Hello from the agency' && m.status !== 'queued' && m.status !== 'sending') ? true : null
  })
  expect(sim.control.listMessages(second.account, fresh.id, 10).filter((m) => m.body === 'Hello from the agency')).toHaveLength(1)

  // Both keys come back after a restart (from the keychain).
  await world.restart()
  expect((await session(world)).accounts).toHaveLength(2)

  const removed = await world.inbox.api.removeApiKey({ accountId })
  expect(removed).toMatchObject({ ok: true, value: { accounts: [{ id: 'account-1' }] } })
  expect(await secrets.get(`postproxy-api-key:${accountId}`)).toBeNull()
  expect((await everyChat(world)).some((c) => c.profileId === second.profileId)).toBe(false)
  expect(await world.inbox.api.removeApiKey({ accountId: 'account-1' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
}, SLOW)

it('the status keeps counting every profile while the filter shows one', async () => {
  world = await multiWorld()
  const ids = profileIds(world)
  const before = await world.inbox.api.getStatus()
  await world.inbox.api.selectProfile({ profileId: ids.school })
  const after = await world.inbox.api.getStatus()
  expect(after.ok && before.ok && after.value.unreadTotal).toBe(before.ok && before.value.unreadTotal)
  expect((after as { value: InboxStatus }).value.unreadTotal).toBeGreaterThan(0)
}, SLOW)
