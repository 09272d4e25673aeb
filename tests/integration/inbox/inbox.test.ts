// The composition root end to end: sessions, the keychain rule, reading and sending, events.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InboxEvents, InboxEventName, InboxStatus } from '../../../shared/inbox-api.ts'
import { Inbox } from '../../../electron/inbox/inbox.ts'
import { MemorySecretStore, SecretStoreError } from '../../../electron/inbox/secrets/index.ts'
import { startSimulator, type RunningSimulator } from '../../../simulator/index.ts'
import { InboxEventLog } from '../../support/inbox-event-log.ts'

let dir: string
let sim: RunningSimulator
let secrets: MemorySecretStore
let inbox: Inbox | undefined
let log: InboxEventLog

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-inbox-'))
  sim = await startSimulator({ scenario: 'demo', seed: 7 })
  secrets = new MemorySecretStore()
})

afterEach(async () => {
  await inbox?.close()
  inbox = undefined
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

async function open(): Promise<Inbox> {
  inbox = await Inbox.open({ dataDir: dir, secrets, postproxyBaseUrl: sim.url, clientOptions: { backoff: { baseMs: 5, maxMs: 20 }, maxRetries: 1, requestRate: null } })
  log = new InboxEventLog(inbox)
  return inbox
}

function nextEvent<K extends InboxEventName>(name: K, match: (payload: InboxEvents[K]) => boolean): Promise<InboxEvents[K]> {
  return log.next(name, match, 15_000)
}

const synced = () => nextEvent('status', (s: InboxStatus) => s.sync.lastSyncedAt !== null && s.sync.state === 'idle')

describe('sessions', () => {
  it('refuses a key Postproxy rejects, in plain words, and keeps nothing', async () => {
    const api = (await open()).api
    const result = await api.signIn({ apiKey: 'pp_wrong_key' })
    expect(result).toEqual({ ok: false, error: { code: 'unauthorized', message: expect.stringMatching(/^Postproxy didn't accept this API key/) } })
    expect(await secrets.names()).toEqual([])
    expect(await api.getSession()).toEqual({ ok: true, value: { state: 'signed_out' } })
  })

  it('keeps an accepted key only in the keychain, syncs, and restores the session on the next start', async () => {
    const api = (await open()).api
    const signedIn = await api.signIn({ apiKey: sim.apiKey })
    expect(signedIn).toMatchObject({ ok: true, value: { state: 'signed_in', mode: 'live', profileFilter: null, profiles: [expect.objectContaining({ id: sim.profileId, messaging: true, problem: null })] } })
    expect(await secrets.get('postproxy-api-key')).toBe(sim.apiKey)
    await synced()
    const chats = await api.listChats({})
    expect(chats.ok && chats.value.chats.length).toBe(40)

    // The key never crosses the bridge: not in any event, not in any result.
    const transcript = JSON.stringify([log.events, signedIn, chats, await api.getStatus(), await api.getSession()])
    expect(transcript).not.toContain(sim.apiKey)
    // … and never reaches the database file.
    const dbBytes = (await import('node:fs')).readFileSync(join(dir, 'inbox.db'))
    expect(dbBytes.includes(Buffer.from(sim.apiKey))).toBe(false)

    await inbox!.close()
    inbox = undefined
    const reopened = (await open()).api
    expect(await reopened.getSession()).toMatchObject({ ok: true, value: { state: 'signed_in', mode: 'live', profileFilter: null, profiles: [expect.objectContaining({ id: sim.profileId })] } })
  })

  it('ends the session with the keychain\'s reason when it refuses the key', async () => {
    secrets.set = async () => {
      throw new SecretStoreError("dmdesk can't reach your system keychain, so it can't keep your API key safely.", new Error('no bus'))
    }
    const api = (await open()).api
    expect(await api.signIn({ apiKey: sim.apiKey })).toEqual({ ok: false, error: { code: 'internal', message: expect.stringMatching(/^dmdesk can't reach your system keychain/) } })
    expect(await api.getSession()).toEqual({ ok: true, value: { state: 'signed_out' } })
  })

  it('signs out, optionally wiping the cache', async () => {
    const api = (await open()).api
    await api.signIn({ apiKey: sim.apiKey })
    await synced()
    expect(await api.signOut({ wipeCache: true })).toEqual({ ok: true, value: { state: 'signed_out' } })
    expect(await secrets.names()).toEqual([])
    expect(existsSync(join(dir, 'inbox.db'))).toBe(true) // a fresh, empty cache
    expect(inbox!.cache.chats.listChats({}).chats).toEqual([])
    expect((await api.listChats({})).ok).toBe(false)
  })
})

describe('a window at start (the desktop app, web mode)', () => {
  /** Opens an inbox whose first sync waits up to `firstLookGraceMs` for the window; records when each request's answer came. */
  async function openWithWindow(firstLookGraceMs: number) {
    const answers: { path: string; at: number }[] = []
    inbox = await Inbox.open({
      dataDir: dir,
      secrets,
      postproxyBaseUrl: sim.url,
      firstLookGraceMs,
      clientOptions: { requestRate: null, onRequest: (r) => answers.push({ path: r.path.split('?')[0], at: performance.now() }) }
    })
    log = new InboxEventLog(inbox)
    // Before the wait can start: a lower bound that a busy machine only makes safer.
    const signingInAt = performance.now()
    expect((await inbox.api.signIn({ apiKey: sim.apiKey })).ok).toBe(true)
    await nextEvent('chats-changed', () => true)
    const messages = () => answers.filter((a) => a.path.endsWith('/messages'))
    return { inbox, signingInAt, messages }
  }

  it("a new account's first sync fetches the chats' messages once the window has painted its list", async () => {
    // A grace far longer than the test: only the window's word lets the sync go on.
    const { inbox, messages } = await openWithWindow(600_000)
    const listed = await inbox.api.listChats({})
    expect(listed.ok && listed.value.chats.length).toBe(40)
    expect(await inbox.api.getStatus()).toMatchObject({ ok: true, value: { sync: { state: 'syncing', stage: 'chats' } } })

    expect(await inbox.api.listShown()).toEqual({ ok: true, value: null })
    await synced()
    expect(messages()).toHaveLength(40)
  })

  it('goes on after the grace when the window never says so (hidden at start)', async () => {
    const { signingInAt, messages } = await openWithWindow(1000)
    await synced()
    expect(messages()).toHaveLength(40)
    expect(messages()[0].at - signingInAt).toBeGreaterThanOrEqual(1000)
  })
})

describe('reading and sending through InboxApi', () => {
  it('lists chats newest first with signals, filters, threads, search, sends and unread marks', async () => {
    const api = (await open()).api
    await api.signIn({ apiKey: sim.apiKey })
    await synced()

    const all = await api.listChats({ limit: 200 })
    if (!all.ok) throw new Error(all.error.message)
    // A chat without messages yet sorts by when it was created; among the others, newest activity first.
    const times = all.value.chats.flatMap((c) => (c.lastMessageAt ? [c.lastMessageAt] : []))
    expect(times).toHaveLength(39)
    expect(times).toEqual([...times].sort().reverse())
    expect(all.value.chats.some((c) => c.participant.isVerified)).toBe(true)
    const large = await api.listChats({ filter: 'large_following' })
    expect(large.ok && large.value.chats.every((c) => (c.participant.followerCount ?? 0) >= 10_000)).toBe(true)
    const paged = await api.listChats({ limit: 15 })
    const next = await api.listChats({ limit: 15, cursor: paged.ok ? paged.value.nextCursor : null })
    expect(next.ok && next.value.chats[0].id).toBe(all.value.chats[15].id)

    const open24 = await api.listChats({ filter: 'window_open' })
    if (!open24.ok) throw new Error(open24.error.message)
    const chat = open24.value.chats[0]
    const thread = await api.getThread({ chatId: chat.id })
    expect(thread.ok && thread.value.messages.length).toBeGreaterThan(0)

    const sent = await api.sendText({ chatId: chat.id, text: 'Thanks for reaching out!' })
    expect(sent).toMatchObject({ ok: true, value: { status: 'sending', body: 'Thanks for reaching out!', direction: 'outbound' } })
    await nextEvent('messages-changed', (e) => e.chatId === chat.id)

    const words = thread.ok ? thread.value.messages.find((m) => m.body && m.body.length > 12)!.body!.split(/\s+/).filter((w) => w.length > 4) : []
    const hits = await api.search({ query: words[0].replace(/[^\p{L}\p{N}]/gu, '') })
    expect(hits.ok && hits.value.length).toBeGreaterThan(0)

    await api.markUnread({ chatId: chat.id })
    const afterUnread = await api.listChats({ filter: 'unread', limit: 200 })
    expect(afterUnread.ok && afterUnread.value.chats.some((c) => c.id === chat.id)).toBe(true)
    await api.markRead({ chatId: chat.id })
    const afterRead = await api.listChats({ limit: 200 })
    expect(afterRead.ok && afterRead.value.chats.find((c) => c.id === chat.id)!.unreadCount).toBe(0)

    const closed = all.value.chats.find((c) => c.lastInboundAt && Date.parse(c.lastInboundAt) < Date.now() - 8 * 86_400_000)!
    const refused = await api.sendText({ chatId: closed.id, text: 'Hi again' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'window_closed' } })
  })

  it('validates every call with the shared schemas', async () => {
    const inbox = await open()
    expect(await inbox.invoke('sendText', { chatId: '', text: 42 })).toMatchObject({ ok: false, error: { code: 'invalid_argument', message: expect.stringContaining('chatId') } })
    expect(await inbox.invoke('dropDatabase', {})).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
    expect(await inbox.invoke('listChats', { filter: 'everything' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
    expect(await inbox.invoke('listChats', {})).toMatchObject({ ok: false, error: { code: 'not_signed_in' } })
  })
})
