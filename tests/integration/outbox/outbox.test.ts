// The whole send lifecycle against the simulator over real HTTP, with a real SQLite cache.
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { HOUR_MS, messagingWindow } from '../../../shared/messaging-window.ts'
import { createPostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { InboxFailure } from '../../../electron/inbox/inbox-failure.ts'
import { OutboxSender } from '../../../electron/inbox/outbox/outbox-sender.ts'
import { LoveToggle, lovedByYou } from '../../../electron/inbox/outbox/love-toggle.ts'
import { InboxSync } from '../../../electron/inbox/sync/inbox-sync.ts'
import type { Chat } from '../../../shared/postproxy.ts'
import type { SimulatorOptions } from '../../../simulator/index.ts'
import { syncWorld, type SyncWorld } from '../sync/sync-fixtures.ts'
import { startSwitchableProxy, type SwitchableProxy } from '../../support/switchable-proxy.ts'

/** Short client backoffs keep failure paths fast; the behaviour is the same. */
const FAST_CLIENT = { backoff: { baseMs: 5, maxMs: 40 }, maxRetries: 3, timeoutMs: 5_000 }
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)])

let world: SyncWorld
let sender: OutboxSender
let sync: InboxSync
let proxy: SwitchableProxy | undefined
const connectivity: boolean[] = []

async function setup(simOptions: SimulatorOptions = {}, options: { viaProxy?: boolean } = {}) {
  world = await syncWorld({ scenario: 'demo', seed: 7, ...simOptions }, FAST_CLIENT)
  sync = new InboxSync({ client: world.client, store: world.store, profileId: world.sim.profileId })
  await sync.sync()
  let client = world.client
  if (options.viaProxy) {
    proxy = await startSwitchableProxy(world.sim.url)
    client = createPostproxyClient({ baseUrl: proxy.url, apiKey: world.sim.apiKey, onRequest: (r) => world.requests.push(r), ...FAST_CLIENT })
  }
  connectivity.length = 0
  sender = new OutboxSender({ client, store: world.store, stagingDir: join(world.dir, 'staging'), onConnectivity: (online) => connectivity.push(online) })
  sender.start()
}

afterEach(async () => {
  await sender?.stop()
  await proxy?.close()
  proxy = undefined
  await world?.close()
})

function chatsInState(state: ReturnType<typeof messagingWindow>['state']): Chat[] {
  return world.sim.control
    .listChats(world.sim.account, world.sim.profileId)
    .filter((chat) => messagingWindow(chat.last_inbound_at, world.sim.clock.now()).state === state)
}

const serverBodies = (chatId: string) =>
  world.sim.control
    .listMessages(world.sim.account, chatId, 500)
    .filter((m) => m.direction === 'outbound')
    .map((m) => m.body)
    .reverse()

const sendRequests = () => world.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))

describe('sending', () => {
  it('shows a pending row at once, then Sent, then published, as one row', async () => {
    await setup()
    const [chat] = chatsInState('open')
    const local = sender.queueText(chat.id, 'Yes, we ship worldwide!')
    expect(local.message.status).toBe('pending')
    expect(world.store.messages.threadPage(chat.id, { limit: 1 }).messages[0].rowId).toBe(local.rowId)

    await sender.idle()
    const item = world.store.outbox.get(local.localId!)!
    expect(item.state).toBe('sent')
    expect(serverBodies(chat.id).filter((b) => b === 'Yes, we ship worldwide!')).toHaveLength(1)

    world.sim.clock.advance(5_000) // the simulator publishes after its publish delay
    await sync.sync()
    const stored = world.store.messages.storedByRowId(local.rowId)!
    expect(stored.message).toMatchObject({ id: item.serverMessageId, status: 'published', body: 'Yes, we ship worldwide!' })
    expect(stored.message.external_id).toMatch(/^mid\./)
    const rows = world.store.messages.threadPage(chat.id, { limit: 100 }).messages.filter((m) => m.message.body === 'Yes, we ship worldwide!')
    expect(rows).toHaveLength(1)
  })

  it('retries a send whose connection dropped after it left with the same key: exactly one message', async () => {
    await setup()
    const [chat] = chatsInState('open')
    world.sim.faults.add({ kind: 'drop_connection', count: 1 })
    const local = sender.queueText(chat.id, 'Only once, please')
    await sender.idle()
    expect(serverBodies(chat.id).filter((b) => b === 'Only once, please')).toHaveLength(1)
    expect(sendRequests().map((r) => r.status)).toEqual([null, 202])
    expect(world.store.outbox.get(local.localId!)!.state).toBe('sent')
  })

  it('rides out 5xx and 429 storms without duplicates', async () => {
    await setup()
    const [a, b] = chatsInState('open')
    world.sim.faults.add({ kind: 'server_error', count: 2, status: 503 })
    world.sim.rateLimiter.configure({ limit: 2, windowMs: 1_000 })
    const bodies = ['storm 1', 'storm 2', 'storm 3']
    for (const body of bodies) sender.queueText(a.id, body)
    sender.queueText(b.id, 'storm b')
    const waiting = () => world.store.outbox.list({ states: ['queued', 'sending'] }).length
    for (let i = 0; i < 20 && waiting() > 0; i++) {
      await sender.idle()
      // Sends the storm pushed back wait seconds for their retry; "the network is back" sends them now.
      if (waiting() > 0) {
        sender.setOnline(false)
        sender.setOnline(true)
      }
    }
    world.sim.rateLimiter.configure(null)
    expect(serverBodies(a.id).filter((body) => body?.startsWith('storm'))).toEqual(bodies)
    expect(serverBodies(b.id).filter((body) => body === 'storm b')).toHaveLength(1)
    expect(world.requests.some((r) => r.status === 429)).toBe(true)
    expect(world.requests.some((r) => r.status === 503)).toBe(true)
  })
})

describe('offline', () => {
  it('queues sends durably while offline and delivers them in order when the network returns', async () => {
    await setup({}, { viaProxy: true })
    const [a, b] = chatsInState('open')
    proxy!.down()
    const queued = [
      sender.queueText(a.id, 'first'),
      sender.queueText(b.id, 'hello b'),
      sender.queueText(a.id, 'second'),
      sender.queueText(a.id, 'third')
    ]
    await sender.idle()
    expect(connectivity).toEqual([false])
    expect(queued.map((m) => world.store.outbox.get(m.localId!)!.state)).toEqual(['queued', 'queued', 'queued', 'queued'])
    expect(serverBodies(a.id)).not.toContain('first')

    proxy!.up()
    sender.setOnline(true)
    await sender.idle()
    expect(serverBodies(a.id).slice(-3)).toEqual(['first', 'second', 'third'])
    expect(serverBodies(b.id).filter((body) => body === 'hello b')).toHaveLength(1)
    expect(queued.map((m) => world.store.outbox.get(m.localId!)!.state)).toEqual(['sent', 'sent', 'sent', 'sent'])
  })

  it('delivers sends queued while offline as soon as the app starts again, not at their retry time', async () => {
    await setup({}, { viaProxy: true })
    const [chat] = chatsInState('open')
    proxy!.down()
    const queued = sender.queueText(chat.id, 'written on the plane')
    await sender.idle()
    const waiting = world.store.outbox.get(queued.localId!)!
    expect(waiting.state).toBe('queued')
    expect(waiting.nextAttemptAtMs).toBeGreaterThan(Date.now())
    await sender.stop()

    // Landed: the network is back and the app starts; the send does not wait out its backoff.
    proxy!.up()
    sender = new OutboxSender({ client: world.client, store: world.store, stagingDir: join(world.dir, 'staging') })
    sender.start()
    await sender.idle()
    expect(world.store.outbox.get(queued.localId!)!.state).toBe('sent')
    expect(serverBodies(chat.id).filter((body) => body === 'written on the plane')).toHaveLength(1)
  })

  it('resends a send interrupted by a crash with its original key: still exactly one message', async () => {
    await setup()
    await sender.stop()
    const [chat] = chatsInState('open')
    // The app queued a send, the request reached Postproxy, and the app died before the answer.
    const { item } = world.store.outbox.enqueue({ localId: 'local_crash', chatId: chat.id, idempotencyKey: 'key-crash-1', kind: 'text', body: 'sent before the crash' })
    world.store.outbox.markSending(item.localId)
    await world.client.sendMessage(chat.id, { body: 'sent before the crash' }, { idempotencyKey: 'key-crash-1' })

    sender = new OutboxSender({ client: world.client, store: world.store, stagingDir: join(world.dir, 'staging') })
    sender.start()
    await sender.idle()
    expect(serverBodies(chat.id).filter((b) => b === 'sent before the crash')).toHaveLength(1)
    expect(world.store.outbox.get('local_crash')!.state).toBe('sent')
    expect(world.store.messages.threadPage(chat.id, { limit: 50 }).messages.filter((m) => m.message.body === 'sent before the crash')).toHaveLength(1)
  })
})

describe('the messaging window', () => {
  it('stops a send outside the window before the API, saying when it closed and what is possible', async () => {
    await setup()
    const [closed] = chatsInState('closed')
    const before = sendRequests().length
    let failure: unknown
    try {
      sender.queueText(closed.id, 'Hello again!')
    } catch (error) {
      failure = error
    }
    expect(failure).toBeInstanceOf(InboxFailure)
    expect((failure as InboxFailure).code).toBe('window_closed')
    expect((failure as InboxFailure).userMessage).toMatch(/^The messaging window closed \d+ days? ago: Instagram accepts no messages until @\S+ writes again/)
    expect(world.store.outbox.list()).toEqual([])
    expect(sendRequests().length).toBe(before)
  })

  it('allows a HUMAN_AGENT reply between 24 hours and 7 days, and only with the tag', async () => {
    await setup()
    const [chat] = chatsInState('human_agent_only')
    expect(() => sender.queueText(chat.id, 'Following up on your question')).toThrow(/human-agent reply/)
    sender.queueText(chat.id, 'Following up on your question', 'HUMAN_AGENT')
    await sender.idle()
    world.sim.clock.advance(5_000)
    const sent = world.sim.control.listMessages(world.sim.account, chat.id, 5).find((m) => m.body === 'Following up on your question')
    expect(sent).toMatchObject({ tag: 'HUMAN_AGENT', status: 'published' })
  })

  it('records the server-side window failure when the cache thought the window was open', async () => {
    await setup()
    const [chat] = chatsInState('open')
    const sender2 = new OutboxSender({ client: world.client, store: world.store, stagingDir: join(world.dir, 'staging') })
    sender2.start()
    // The server's clock is a day ahead of what the cache knows: Postproxy accepts, then Meta refuses.
    world.sim.clock.advance(25 * HOUR_MS)
    const local = sender2.queueText(chat.id, 'Too late?')
    await sender2.idle()
    await sender2.stop()
    world.sim.clock.advance(5_000)
    await sync.sync()
    expect(world.store.messages.storedByRowId(local.rowId)!.message).toMatchObject({
      status: 'failed',
      error_message: '(#10) This message is sent outside of allowed window'
    })
  })

  it('marks a send refused with 422 as failed with the reason; retry keeps the key, discard removes it', async () => {
    await setup({ strictWindow: true })
    const [chat] = chatsInState('open')
    world.sim.clock.advance(25 * HOUR_MS) // only the server knows the window closed
    const local = sender.queueText(chat.id, 'Refused')
    await sender.idle()
    const failed = world.store.outbox.get(local.localId!)!
    expect(failed.state).toBe('failed')
    expect(failed.lastError).toMatch(/^Instagram says: .*window/i)
    expect(world.store.messages.storedByRowId(local.rowId)!.message.status).toBe('failed')

    sender.retry(local.localId!)
    await sender.idle()
    expect(world.store.outbox.get(local.localId!)).toMatchObject({ state: 'failed', idempotencyKey: failed.idempotencyKey, attempts: 2 })
    sender.discard(local.localId!)
    expect(world.store.outbox.get(local.localId!)).toBeNull()
    expect(world.store.messages.storedByRowId(local.rowId)).toBeNull()
  })
})

describe('media', () => {
  it('sends one image known by its real type, and refuses what Instagram would', async () => {
    await setup()
    const [chat] = chatsInState('open')
    const file = join(world.dir, 'size-chart.jpg') // really a PNG
    writeFileSync(file, PNG)
    const local = await sender.queueMedia(chat.id, { path: file })
    expect(local.message.attachments?.[0]).toMatchObject({ type: 'image', status: 'pending' })
    await sender.idle()
    const server = world.sim.control.listMessages(world.sim.account, chat.id, 5).find((m) => m.id === world.store.outbox.get(local.localId!)!.serverMessageId)!
    expect(server.body ?? null).toBeNull()
    expect(server.attachments).toHaveLength(1)
    const served = await fetch(server.attachments![0].url!)
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG)

    const program = join(world.dir, 'photo.png')
    writeFileSync(program, 'MZ not really a photo')
    await expect(sender.queueMedia(chat.id, { path: program })).rejects.toMatchObject({ code: 'media_rejected' })
    expect(world.store.outbox.list().filter((i) => i.kind === 'media')).toHaveLength(1)
  })
})

describe('media from a chosen path', () => {
  it('refuses every path it cannot send with one and the same error, whether or not something is there', async () => {
    await setup()
    const [chat] = chatsInState('open')
    const folder = join(world.dir, 'a-folder')
    mkdirSync(folder)
    const pipe = join(world.dir, 'a-pipe')
    execFileSync('mkfifo', [pipe])
    const notes = join(world.dir, 'notes.png')
    writeFileSync(notes, 'MZ not really a photo')
    const huge = join(world.dir, 'huge.png')
    writeFileSync(huge, Buffer.concat([PNG, Buffer.alloc(9 * 1024 * 1024)]))
    const refusals = []
    for (const path of [join(world.dir, 'missing.png'), folder, pipe, notes, huge, 'relative/photo.png', '/etc/passwd', '/dev/zero']) {
      refusals.push(await sender.queueMedia(chat.id, { path }).then(() => 'sent', (error: InboxFailure) => ({ code: error.code, message: error.userMessage })))
    }
    expect(new Set(refusals.map((r) => JSON.stringify(r))).size).toBe(1)
    expect(refusals[0]).toEqual({ code: 'media_rejected', message: expect.stringMatching(/^dmdesk can't send that file\./) })
    expect(world.store.outbox.list()).toEqual([])
  })

  it('uploads only files it staged itself: an outbox row naming another file fails without a request', async () => {
    await setup()
    await sender.stop()
    const [chat] = chatsInState('open')
    const elsewhere = join(world.dir, 'private.png')
    writeFileSync(elsewhere, PNG)
    // A crafted inbox.db: a queued media send pointing outside the staging folder.
    const { item } = world.store.outbox.enqueue({
      localId: 'local_crafted',
      chatId: chat.id,
      idempotencyKey: 'key-crafted',
      kind: 'media',
      media: { path: elsewhere, mime: 'image/png', size: PNG.length },
      attachmentType: 'image'
    })
    const before = sendRequests().length
    sender = new OutboxSender({ client: world.client, store: world.store, stagingDir: join(world.dir, 'staging') })
    sender.start()
    await sender.idle()
    expect(world.store.outbox.get(item.localId)).toMatchObject({ state: 'failed', lastError: 'The attached file could not be read any more. Attach it again.' })
    expect(sendRequests().length).toBe(before)
  })
})

describe('love toggle', () => {
  it('loves and un-loves an inbound message, and rolls back with a reason when Postproxy refuses', async () => {
    await setup()
    const love = new LoveToggle({ client: world.client, store: world.store })
    const [chat] = chatsInState('open')
    const inbound = world.sim.control.listMessages(world.sim.account, chat.id, 50).find((m) => m.direction === 'inbound' && m.external_id && !m.external_deleted_at && !lovedByYou(m, chat.participant_external_id))!

    const loved = await love.toggle(inbound.id)
    expect(lovedByYou(loved.message, chat.participant_external_id)).toBe(true)
    expect(lovedByYou(world.sim.control.listMessages(world.sim.account, chat.id, 50).find((m) => m.id === inbound.id)!, chat.participant_external_id)).toBe(true)

    const unloved = await love.toggle(inbound.id)
    expect(lovedByYou(unloved.message, chat.participant_external_id)).toBe(false)

    world.sim.faults.add({ kind: 'server_error', count: 10, status: 500 })
    await expect(love.toggle(inbound.id)).rejects.toThrow(/^Could not love this message: /)
    expect(lovedByYou(world.store.messages.getMessage(inbound.id)!.message, chat.participant_external_id)).toBe(false)
  })
})

describe('on a Messenger chat (a Facebook Page of the multi-profile world)', () => {
  /** Syncs the Page's chats into the same cache, beside the Instagram profile's. */
  async function messengerSetup() {
    await setup({ multiProfile: true })
    const page = (await world.client.listProfiles()).find((profile) => profile.platform === 'facebook')!
    await new InboxSync({ client: world.client, store: world.store, profileId: page.id }).sync()
    const pageChats = world.sim.control.listChats(world.sim.account, page.id)
    const inState = (state: ReturnType<typeof messagingWindow>['state']) =>
      pageChats.filter((chat) => messagingWindow(chat.last_inbound_at, world.sim.clock.now()).state === state)
    return { page, inState }
  }

  it('counts text in characters (2,000), where Instagram counts 1,000 bytes', async () => {
    const { inState } = await messengerSetup()
    const [chat] = inState('open')
    const accented = 'é'.repeat(1500) // 3,000 bytes, 1,500 characters
    sender.queueText(chat.id, accented)
    await sender.idle()
    expect(serverBodies(chat.id)).toContain(accented)

    const tooLong = refusalOf(() => sender.queueText(chat.id, 'é'.repeat(2001)))
    expect(tooLong.message).toBe('Messages can be at most 2000 characters on Facebook Messenger; this one is 2001 characters. Shorten it or split it into two messages.')
    const [instagramChat] = chatsInState('open')
    expect(refusalOf(() => sender.queueText(instagramChat.id, accented)).message).toMatch(/^Messages can be at most 1000 bytes on Instagram;/)
  })

  it('names Facebook Messenger when its window refuses a send', async () => {
    const { inState } = await messengerSetup()
    const [closed] = inState('closed')
    const refusal = refusalOf(() => sender.queueText(closed.id, 'Hello again'))
    expect(refusal.code).toBe('window_closed')
    expect(refusal.message).toMatch(/^The messaging window closed .* ago: Facebook Messenger accepts no messages until /)
    expect(serverBodies(closed.id)).not.toContain('Hello again')
  })

  it('sends an MP3, which Instagram refuses, and names Messenger for a too-big image', async () => {
    const { inState } = await messengerSetup()
    const [chat] = inState('open')
    const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0x21]), Buffer.alloc(200, 0x55)])
    const sent = await sender.queueMedia(chat.id, { name: 'voice.mp3', bytesBase64: mp3.toString('base64') })
    await sender.idle()
    expect(world.store.outbox.get(sent.localId!)!.state).toBe('sent')

    const bigImage = Buffer.concat([PNG, Buffer.alloc(8 * 1024 * 1024)])
    await expect(sender.queueMedia(chat.id, { name: 'big.png', bytesBase64: bigImage.toString('base64') })).rejects.toThrow(
      'Images can be at most 8 MB on Facebook Messenger; this one is 8.1 MB.'
    )
    const [instagramChat] = chatsInState('open')
    await expect(sender.queueMedia(instagramChat.id, { name: 'voice.mp3', bytesBase64: mp3.toString('base64') })).rejects.toThrow(/can't be sent on Instagram/)
  })

  it('loves and un-loves a Messenger message with the same toggle (❤️ love)', async () => {
    const { inState } = await messengerSetup()
    const love = new LoveToggle({ client: world.client, store: world.store })
    const [chat] = inState('open')
    const inbound = world.sim.control.listMessages(world.sim.account, chat.id, 50).find((m) => m.direction === 'inbound' && m.external_id && !lovedByYou(m, chat.participant_external_id))!

    const loved = await love.toggle(inbound.id)
    expect(lovedByYou(loved.message, chat.participant_external_id)).toBe(true)
    const onServer = world.sim.control.listMessages(world.sim.account, chat.id, 50).find((m) => m.id === inbound.id)!
    expect(onServer.reactions?.filter((r) => r.sender_external_id !== chat.participant_external_id)).toMatchObject([{ reaction: 'love', emoji: '❤️' }])

    const unloved = await love.toggle(inbound.id)
    expect(lovedByYou(unloved.message, chat.participant_external_id)).toBe(false)
  })
})

function refusalOf(act: () => unknown): InboxFailure {
  try {
    act()
  } catch (error) {
    expect(error).toBeInstanceOf(InboxFailure)
    return error as InboxFailure
  }
  throw new Error('expected a refusal')
}
