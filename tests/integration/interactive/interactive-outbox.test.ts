// Interactive sends through the durable outbox against the simulator over real HTTP, with a real SQLite
// cache: the checks refuse in the server's words before anything is stored or sent, and an accepted send
// keeps its reply-to and quick replies / buttons / card across going offline, a restart and a retry with
// the same Idempotency-Key — exactly one message on the server, echoing them.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkInteractiveSend } from '../../../shared/interactive-rules.ts'
import { messagingWindow } from '../../../shared/messaging-window.ts'
import type { Chat, Message } from '../../../shared/postproxy.ts'
import { createPostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { InboxFailure } from '../../../electron/inbox/inbox-failure.ts'
import { OutboxSender } from '../../../electron/inbox/outbox/outbox-sender.ts'
import { replyTargetPendingText } from '../../../shared/reply-to-rules.ts'
import { openStore } from '../../../electron/inbox/store/index.ts'
import { InboxSync } from '../../../electron/inbox/sync/inbox-sync.ts'
import { syncWorld, type SyncWorld } from '../sync/sync-fixtures.ts'
import { startSwitchableProxy, type SwitchableProxy } from '../../support/switchable-proxy.ts'

const FAST_CLIENT = { backoff: { baseMs: 5, maxMs: 40 }, maxRetries: 3, timeoutMs: 5_000 }
const CHIPS = [
  { title: 'Saturday 10am', payload: 'SAT_AM' },
  { title: 'Sunday 11am', payload: 'SUN' }
]
const BUTTONS = [
  { type: 'web_url', title: 'Details', url: 'https://example.com/workshop' },
  { type: 'postback', title: 'Book me', payload: 'BOOK' }
]

let world: SyncWorld
let sender: OutboxSender
let sync: InboxSync
let proxy: SwitchableProxy | undefined

async function setup(options: { viaProxy?: boolean } = {}) {
  world = await syncWorld({ scenario: 'demo', seed: 7 }, FAST_CLIENT)
  sync = new InboxSync({ client: world.client, store: world.store, profileId: world.sim.profileId })
  await sync.sync()
  let client = world.client
  if (options.viaProxy) {
    proxy = await startSwitchableProxy(world.sim.url)
    client = createPostproxyClient({ baseUrl: proxy.url, apiKey: world.sim.apiKey, onRequest: (r) => world.requests.push(r), ...FAST_CLIENT })
  }
  sender = new OutboxSender({ client, store: world.store, stagingDir: join(world.dir, 'staging') })
  sender.start()
}

afterEach(async () => {
  await sender?.stop()
  await proxy?.close()
  proxy = undefined
  await world?.close()
})

function openChat(): Chat {
  return world.sim.control
    .listChats(world.sim.account, world.sim.profileId)
    .find((chat) => chat.platform === 'instagram' && messagingWindow(chat.last_inbound_at, world.sim.clock.now()).state === 'open')!
}

const sendRequests = () => world.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))
const serverMessages = (chatId: string, body: string): Message[] =>
  world.sim.control.listMessages(world.sim.account, chatId, 500).filter((m) => m.direction === 'outbound' && m.body === body)

function refusal(run: () => unknown): InboxFailure {
  try {
    run()
  } catch (error) {
    if (error instanceof InboxFailure) return error
    throw error
  }
  throw new Error('expected the send to be refused')
}

describe('refused before anything is sent', () => {
  it('says what Postproxy would say, word for word, and queues nothing', async () => {
    await setup()
    const chat = openChat()
    const before = sendRequests().length
    const tooMany = Array.from({ length: 14 }, (_, i) => ({ title: `Option ${i}`, payload: `P${i}` }))
    const longTitle = [{ title: 'A title far longer than twenty', payload: 'X' }]
    const httpButton = [{ type: 'web_url', title: 'Open', url: 'http://example.com' }]

    for (const extras of [{ quickReplies: tooMany }, { quickReplies: longTitle }, { buttons: httpButton }, { card: { subtitle: 'No buttons' } }]) {
      const expected = checkInteractiveSend({ platform: 'instagram', body: 'Pick one', hasMedia: false, ...extras })
      expect(expected.ok).toBe(false)
      const failure = refusal(() => sender.queueText(chat.id, 'Pick one', null, extras))
      expect(failure.code).toBe('invalid_argument')
      expect(failure.userMessage).toBe((expected as { errors: string[] }).errors.join(' '))
    }
    // The sentences themselves, as the simulator answers them.
    expect(refusal(() => sender.queueText(chat.id, 'Pick one', null, { buttons: httpButton })).userMessage).toBe('buttons[0].url must be an https:// URL')
    const longBody = 'x'.repeat(81)
    expect(refusal(() => sender.queueText(chat.id, longBody, null, { buttons: BUTTONS })).userMessage).toBe(
      'body must be at most 80 characters when buttons are present (it has 81).'
    )
    expect(refusal(() => sender.queueText(chat.id, 'Both', null, { quickReplies: CHIPS, buttons: BUTTONS })).userMessage).toBe(
      'quick_replies can be sent only on a plain-text message on Instagram (not with media or buttons).'
    )

    expect(world.store.outbox.list()).toEqual([])
    expect(sendRequests().length).toBe(before)
  })

  it('refuses to quote a message that has not reached Instagram yet (no external id)', async () => {
    await setup()
    const chat = openChat()
    await sender.stop() // the first send stays pending, without an external id
    const pending = sender.queueText(chat.id, 'Still pending')
    const failure = refusal(() => sender.queueText(chat.id, 'About that', null, { replyToExternalId: pending.message.id }))
    expect(failure.userMessage).toBe("That message hasn't reached Instagram yet, so it can't be replied to. Wait until it shows Sent.")
    expect(failure.userMessage).toBe(replyTargetPendingText(chat.platform))
    expect(world.store.outbox.list()).toHaveLength(1)
  })
})

describe('the interactive payload survives the outbox', () => {
  it('goes out after the network returns, with its quick replies, and shows them on the pending row meanwhile', async () => {
    await setup({ viaProxy: true })
    const chat = openChat()
    proxy!.down()
    const local = sender.queueText(chat.id, 'Which session works?', null, { quickReplies: CHIPS })
    expect(local.message.quick_replies).toEqual(CHIPS.map((c) => ({ content_type: 'text', ...c })))
    await sender.idle()
    expect(world.store.outbox.get(local.localId!)).toMatchObject({ state: 'queued', extras: { quick_replies: CHIPS.map((c) => ({ content_type: 'text', ...c })) } })
    expect(serverMessages(chat.id, 'Which session works?')).toEqual([])

    proxy!.up()
    sender.setOnline(true)
    await sender.idle()
    const [sent] = serverMessages(chat.id, 'Which session works?')
    expect(sent.quick_replies).toEqual(CHIPS.map((c) => ({ content_type: 'text', ...c })))
    expect(serverMessages(chat.id, 'Which session works?')).toHaveLength(1)
  })

  it('after a restart mid-send, resends buttons and card with the same key: one message, echoed', async () => {
    await setup()
    const chat = openChat()
    const card = { subtitle: 'Saturday 10am–12pm', default_action: { type: 'web_url', url: 'https://example.com/workshop' } }
    await sender.stop()
    const local = sender.queueText(chat.id, 'You are booked 🎉', null, { buttons: BUTTONS, card })
    const item = world.store.outbox.get(local.localId!)!
    // The request reached Postproxy, then the app died before the answer.
    world.store.outbox.markSending(item.localId)
    await world.client.sendMessage(chat.id, { body: 'You are booked 🎉' }, { idempotencyKey: item.idempotencyKey, buttons: item.extras!.buttons, card: item.extras!.card })

    // A new process: the store reopened from its file.
    world.store.close()
    world.store = openStore(world.storePath)
    sender = new OutboxSender({ client: world.client, store: world.store, stagingDir: join(world.dir, 'staging') })
    sender.start()
    await sender.idle()

    expect(world.store.outbox.get(local.localId!)!.state).toBe('sent')
    const sent = serverMessages(chat.id, 'You are booked 🎉')
    expect(sent).toHaveLength(1)
    expect(sent[0].buttons).toEqual([
      { type: 'web_url', title: 'Details', url: 'https://example.com/workshop', payload: null },
      { type: 'postback', title: 'Book me', url: null, payload: 'BOOK' }
    ])
    expect(sent[0].card).toMatchObject({ subtitle: 'Saturday 10am–12pm', default_action: { type: 'web_url', url: 'https://example.com/workshop' } })
    // The replayed answer was the original one: the same message id.
    expect(world.store.outbox.get(local.localId!)!.serverMessageId).toBe(sent[0].id)
  })

  it('retries after a dropped connection with the same key and body: one message with its chips', async () => {
    await setup()
    const chat = openChat()
    world.sim.faults.add({ kind: 'drop_connection', count: 1 })
    sender.queueText(chat.id, 'Pick a glaze', null, { quickReplies: CHIPS })
    await sender.idle()
    const attempts = sendRequests().filter((r) => r.status === null || r.status === 202)
    expect(attempts.map((r) => r.status)).toEqual([null, 202])
    const sent = serverMessages(chat.id, 'Pick a glaze')
    expect(sent).toHaveLength(1)
    expect(sent[0].quick_replies?.map((q) => q.title)).toEqual(['Saturday 10am', 'Sunday 11am'])
  })
})

describe('reply to a message', () => {
  it('sends reply_to_external_id, and the synced copy answers the quoted message', async () => {
    await setup()
    const chat = openChat()
    const quoted = world.store.messages.threadPage(chat.id, { limit: 50 }).messages.find((m) => m.message.direction === 'inbound' && m.message.external_id)!
    const local = sender.queueText(chat.id, 'Answering this one', null, { replyToExternalId: quoted.message.id })
    expect(local.message.reply_to_external_id).toBe(quoted.message.external_id)
    await sender.idle()
    const request = sendRequests().at(-1)!
    expect(request.status).toBe(202)
    const [sent] = serverMessages(chat.id, 'Answering this one')
    expect(sent.reply_to_external_id).toBe(quoted.message.external_id)

    world.sim.clock.advance(5_000)
    await sync.sync()
    const synced = world.store.messages.storedByRowId(local.rowId)!.message
    expect(synced).toMatchObject({ status: 'published', reply_to_external_id: quoted.message.external_id })
  })
})
