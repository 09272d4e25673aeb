// What Instagram shows, through the composition root against the simulator's demo (real HTTP, real SQLite,
// real media cache): taps, quotes both ways and a reply-to round trip, edits, the ad referral, story
// pictures kept for offline, the ice breakers of the profile, and interactive refusals in the server's words.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChatSummary, InboxApi, InboxEventName, InboxEvents, InboxStatus, ThreadMessage } from '../../../shared/inbox-api.ts'
import { Inbox } from '../../../electron/inbox/inbox.ts'
import { MemorySecretStore } from '../../../electron/inbox/secrets/index.ts'
import { startSimulator, type RunningSimulator } from '../../../simulator/index.ts'
import { InboxEventLog } from '../../support/inbox-event-log.ts'

let dir: string
let sim: RunningSimulator
let simRunning: boolean
let inbox: Inbox | undefined
let log: InboxEventLog

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-interactive-'))
  sim = await startSimulator({ scenario: 'demo', seed: 7 })
  simRunning = true
})

afterEach(async () => {
  await inbox?.close()
  inbox = undefined
  if (simRunning) await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

function nextEvent<K extends InboxEventName>(name: K, match: (payload: InboxEvents[K]) => boolean): Promise<InboxEvents[K]> {
  return log.next(name, match)
}

async function signedIn(): Promise<InboxApi> {
  inbox = await Inbox.open({
    dataDir: dir,
    secrets: new MemorySecretStore(),
    postproxyBaseUrl: sim.url,
    clientOptions: { backoff: { baseMs: 5, maxMs: 20 }, maxRetries: 1 }
  })
  log = new InboxEventLog(inbox)
  const api = inbox.api
  await api.signIn({ apiKey: sim.apiKey })
  await nextEvent('status', (s: InboxStatus) => s.sync.lastSyncedAt !== null && s.sync.state === 'idle')
  return api
}

function value<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

async function chatOf(api: InboxApi, username: string): Promise<ChatSummary> {
  const chats = value(await api.listChats({ limit: 200 })).chats
  const chat = chats.find((c) => c.participant.username === username)
  if (!chat) throw new Error(`no chat with @${username}`)
  return chat
}

async function threadOf(api: InboxApi, chatId: string): Promise<ThreadMessage[]> {
  return [...value(await api.getThread({ chatId, limit: 200 })).messages].reverse()
}

async function control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(path, sim.url), {
    method,
    headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const json = (await response.json()) as Record<string, unknown>
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`)
  return json
}

describe("Olivia's booking: what the business sent, the taps, the quotes", () => {
  it('shows the chips and the button card it sent, each tap as a tap, and quotes both ways', async () => {
    const api = await signedIn()
    const olivia = await chatOf(api, 'oliviaparkstudio')
    const thread = await threadOf(api, olivia.id)

    const asked = thread.find((m) => m.quickReplies !== null)!
    expect(asked).toMatchObject({ direction: 'outbound', body: 'Hi Olivia! Two spots left. Which session works for you?' })
    expect(asked.quickReplies!.map((q) => q.title)).toEqual(['Saturday 10am', 'Saturday 2pm', 'Sunday 11am'])

    const booked = thread.find((m) => m.buttons !== null)!
    expect(booked.buttons!.map((b) => [b.type, b.title])).toEqual([['web_url', 'Workshop details'], ['postback', 'Bring a friend']])
    expect(booked.card).toMatchObject({ subtitle: 'Saturday 10am–12pm · Clay & Tide Studio' })

    const taps = thread.filter((m) => m.tappedAction !== null).map((m) => [m.tappedAction!.kind, m.tappedAction!.title])
    expect(taps).toEqual([['quick_reply', 'Saturday 10am'], ['postback', 'Bring a friend']])

    const sister = thread.find((m) => m.body === 'It is my sister. Is it two hours, like the card says?')!
    expect(sister.replyTo).toEqual({ externalId: booked.externalId, state: 'loaded', messageId: booked.id, direction: 'outbound', preview: booked.body })
    const answer = thread.find((m) => m.body === 'Yes, two hours with a tea break in the middle.')!
    expect(answer.replyTo).toMatchObject({ state: 'loaded', messageId: sister.id, direction: 'inbound', preview: sister.body })
  })

  it('a reply sent from the inbox goes out with reply_to_external_id and reads quoted after sync', async () => {
    const api = await signedIn()
    const olivia = await chatOf(api, 'oliviaparkstudio')
    const question = (await threadOf(api, olivia.id)).find((m) => m.body === 'Also do we need to bring anything?')!
    const sent = value(await api.sendText({ chatId: olivia.id, text: 'Just yourselves, aprons are provided!', replyToExternalId: question.externalId }))
    expect(sent.replyTo).toMatchObject({ state: 'loaded', messageId: question.id, preview: 'Also do we need to bring anything?' })

    const onServer = () => sim.control.listMessages(sim.account, olivia.id, 20).find((m) => m.body === 'Just yourselves, aprons are provided!')
    await nextEvent('messages-changed', () => onServer() !== undefined)
    expect(onServer()!.reply_to_external_id).toBe(question.externalId)

    sim.clock.advance(10_000) // published
    value(await api.syncNow())
    const synced = (await threadOf(api, olivia.id)).find((m) => m.body === 'Just yourselves, aprons are provided!')!
    expect(synced.status).toBe('sent')
    expect(synced.externalId).toMatch(/^mid\./)
    expect(synced.replyTo).toMatchObject({ externalId: question.externalId, state: 'loaded', messageId: question.id })
  })

  it('a quote of a message the cache never held says so, and of an unsent one says removed', async () => {
    const api = await signedIn()
    const olivia = await chatOf(api, 'oliviaparkstudio')
    const participant = sim.control.listChats(sim.account, sim.profileId).find((c) => c.id === olivia.id)!.participant_external_id
    const original = sim.control.listMessages(sim.account, olivia.id, 50).find((m) => m.body === 'Hi! Is there still space in the Saturday wheel-throwing workshop?')!
    await control('POST', '/_sim/inbound', { participant_external_id: participant, body: 'About my first message…', reply_to_external_id: original.external_id })
    await control('POST', `/_sim/messages/${original.id}/unsend`)
    value(await api.syncNow())
    const quoting = (await threadOf(api, olivia.id)).find((m) => m.body === 'About my first message…')!
    expect(quoting.replyTo).toMatchObject({ externalId: original.external_id, state: 'removed', preview: null })

    // The cache loses the original (as if it was never synced): the quote can only say it is not loaded.
    const db = new Database(join(dir, 'inbox.db'))
    db.prepare('DELETE FROM messages WHERE id = ?').run(original.id)
    db.close()
    const again = (await threadOf(api, olivia.id)).find((m) => m.body === 'About my first message…')!
    expect(again.replyTo).toEqual({ externalId: original.external_id, state: 'not_loaded', messageId: null, direction: null, preview: null })
  })

  it('refuses an interactive send the server would refuse, in its words, and queues nothing', async () => {
    const api = await signedIn()
    const olivia = await chatOf(api, 'oliviaparkstudio')
    const result = await api.sendText({ chatId: olivia.id, text: 'Pick one', quickReplies: [{ title: 'Way more than twenty characters', payload: 'P' }] })
    expect(result).toEqual({ ok: false, error: { code: 'invalid_argument', message: 'quick_replies[0].title must be at most 20 characters (it has 31).' } })
    expect(inbox!.cache.outbox.list()).toEqual([])
  })
})

describe('taps', () => {
  it('a tap on a quick reply of a sent message arrives as a tap and reopens the window', async () => {
    const api = await signedIn()
    const grace = await chatOf(api, 'grace.collects') // past 24 hours: a human-agent reply only
    const asked = value(await api.sendText({ chatId: grace.id, text: 'Still interested?', tag: 'HUMAN_AGENT', quickReplies: [{ title: 'Yes please', payload: 'YES' }] }))
    const published = () => sim.control.listMessages(sim.account, grace.id, 5).find((m) => m.body === 'Still interested?' && m.external_id)
    await nextEvent('messages-changed', () => sim.control.listMessages(sim.account, grace.id, 5).some((m) => m.body === 'Still interested?'))
    sim.clock.advance(10_000)
    expect(published()).toBeDefined()
    expect(asked.quickReplies?.map((q) => q.title)).toEqual(['Yes please'])

    await control('POST', '/_sim/taps', { message_id: published()!.id, quick_reply: 0 })
    value(await api.syncNow())
    const tap = (await threadOf(api, grace.id)).at(-1)!
    expect(tap).toMatchObject({ direction: 'inbound', body: 'Yes please', tappedAction: { kind: 'quick_reply', payload: 'YES', title: 'Yes please' } })
    const chat = await chatOf(api, 'grace.collects')
    expect(chat.lastInboundAt).toBe(tap.at) // the window runs from the tap
  })

  it("Kim's chat opens with an ice-breaker tap", async () => {
    const api = await signedIn()
    const kim = await chatOf(api, 'k.nguyen')
    const [first] = await threadOf(api, kim.id)
    expect(first).toMatchObject({ body: 'Do you sell gift cards?', tappedAction: { kind: 'postback', payload: 'ICE_GIFT_CARDS' } })
  })
})

describe('what Instagram shows', () => {
  it('marks edited messages, shows the ad referral, and says whom you follow', async () => {
    const api = await signedIn()
    const bea = await chatOf(api, 'bea.in.bloom')
    const edited = (await threadOf(api, bea.id)).find((m) => m.body === 'Could I order 24 of the small ones in mixed glazes?')!
    expect(edited.editedAt).not.toBeNull()
    expect(bea.participant.youFollow).toBe(true)

    const sofia = await chatOf(api, 'sofia.reyes.home')
    expect(sofia.referral).toEqual({ ref: 'spring_drop', source: 'SHORTLINK', type: 'OPEN_THREAD' })
  })

  it('keeps the picture of a replied-to story in the media cache and serves it offline', async () => {
    const api = await signedIn()
    const lena = await chatOf(api, 'lena_draws')
    const reply = (await threadOf(api, lena.id)).find((m) => m.storyReply !== null)!
    expect(reply.storyReply!.thumbnailUrl).toMatch(/^\/media\/story-reply%3A/)
    const mediaId = decodeURIComponent(reply.storyReply!.thumbnailUrl!.slice('/media/'.length))

    const online = await inbox!.mediaFile(mediaId)
    expect(online).not.toBeNull()
    const bytes = readFileSync(online!.path)
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from('89504e470d0a1a0a', 'hex')) // a PNG
    const cached = (await threadOf(api, lena.id)).find((m) => m.id === reply.id)!
    expect(cached.storyReply!.cached).toBe(true)

    await sim.close() // the network is gone
    simRunning = false
    const offline = await inbox!.mediaFile(mediaId)
    expect(offline!.path).toBe(online!.path)
    expect(readFileSync(offline!.path)).toEqual(bytes)
  })
})

describe('ice breakers', () => {
  it('load, save (checked first, in the server words) and remove, in sync with Postproxy', async () => {
    const api = await signedIn()
    const loaded = value(await api.getIceBreakers())
    expect(loaded.supported).toBe(true)
    expect(loaded.iceBreakers).toHaveLength(4)

    const tooLong = await api.saveIceBreakers({ iceBreakers: [{ question: 'q'.repeat(81), payload: 'P' }] })
    expect(tooLong).toEqual({ ok: false, error: { code: 'invalid_argument', message: 'ice_breakers[0].question must be at most 80 characters (it has 81).' } })
    expect((await control('GET', `/api/profiles/${sim.profileId}/ice_breakers`)).ice_breakers).toHaveLength(4) // untouched

    const saved = value(await api.saveIceBreakers({ iceBreakers: [{ question: 'Do you ship to Canada?', payload: 'ICE_CANADA' }] }))
    expect(saved.iceBreakers).toEqual([{ question: 'Do you ship to Canada?', payload: 'ICE_CANADA' }])
    expect((await control('GET', `/api/profiles/${sim.profileId}/ice_breakers`)).ice_breakers).toEqual(saved.iceBreakers)

    expect(value(await api.deleteIceBreakers()).iceBreakers).toEqual([])
    expect((await control('GET', `/api/profiles/${sim.profileId}/ice_breakers`)).ice_breakers).toEqual([])
    expect(value(await api.getIceBreakers()).iceBreakers).toEqual([])
  })
})
