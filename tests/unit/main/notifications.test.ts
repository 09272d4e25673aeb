// The desktop notifications with Electron's Notification faked (a plain object, which is exactly what can be
// garbage-collected while its toast is on screen, electron/electron#16922) and the real core behind them:
// replies typed into a notification go through the durable outbox to the simulator.
import { runInNewContext } from 'node:vm'
import { setFlagsFromString } from 'node:v8'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HOUR_MS, messagingWindow } from '../../../shared/messaging-window.ts'
import type { ChatSummary } from '../../../shared/inbox-api.ts'
import type { Inbox } from '../../../electron/inbox/inbox.ts'
import type { RunningSimulator, SimulatorOptions } from '../../../simulator/index.ts'

const electron = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void
  /** Weak on purpose: the test must not be what keeps a notification alive. */
  const created: WeakRef<FakeNotification>[] = []
  /** What each notification said, in order (text only, no reference to the object). */
  const shown: { title: string; body: string }[] = []
  const waiters: { match: (title: string) => boolean; resolve: () => void }[] = []
  class FakeNotification {
    static isSupported = () => true
    readonly options: { title: string; body: string; hasReply?: boolean }
    #listeners = new Map<string, Listener[]>()
    constructor(options: { title: string; body: string; hasReply?: boolean }) {
      this.options = options
      created.push(new WeakRef(this))
    }
    on(event: string, listener: Listener) {
      this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener])
      return this
    }
    once(event: string, listener: Listener) {
      const wrapped: Listener = (...args) => {
        this.#listeners.set(event, (this.#listeners.get(event) ?? []).filter((l) => l !== wrapped))
        listener(...args)
      }
      return this.on(event, wrapped)
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.#listeners.get(event) ?? []) listener(...args)
    }
    show() {
      shown.push({ title: this.options.title, body: this.options.body })
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(this.options.title)) waiter.resolve()
        else waiters.push(waiter)
      }
    }
  }
  return { created, shown, waiters, FakeNotification }
})

vi.mock('electron', () => ({ Notification: electron.FakeNotification }))

const { DesktopNotifications } = await import('../../../electron/main/desktop-notifications.ts')
const { NotificationRegistry } = await import('../../../electron/main/notification-registry.ts')
const { signedInInbox } = await import('../../support/signed-in-inbox.ts')
const { startSimulator } = await import('../../../simulator/index.ts')

setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

let dir: string
let sim: RunningSimulator
let inbox: Inbox
let notifications: InstanceType<typeof DesktopNotifications> | undefined
const opened: string[] = []

async function start(options: SimulatorOptions = {}) {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-notifications-'))
  sim = await startSimulator({ scenario: 'demo', seed: 7, ...options })
  // The app's clock agrees with the simulator's at the start; a test may then move the simulator's alone.
  const offset = sim.clock.now() - Date.now()
  inbox = await signedInInbox(sim, { dataDir: dir, now: () => Date.now() + offset })
  notifications = new DesktopNotifications({
    inbox,
    openChat: (chatId) => opened.push(chatId),
    openComment: (commentId) => opened.push(`comment:${commentId}`),
    registry: new NotificationRegistry()
  })
}

afterEach(async () => {
  notifications?.dispose()
  notifications = undefined
  await inbox?.close()
  await sim?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  electron.shown.length = 0
  electron.created.length = 0
  electron.waiters.length = 0
  opened.length = 0
})

async function chatWithWindow(state: 'open' | 'closed'): Promise<ChatSummary> {
  const chats = await inbox.api.listChats({ limit: 200 })
  if (!chats.ok) throw new Error(chats.error.message)
  const chat = chats.value.chats.find((c) => messagingWindow(c.lastInboundAt, sim.clock.now()).state === state)
  if (!chat) throw new Error(`no chat whose window is ${state}`)
  return chat
}

/** The newest notification object, while something still holds it. */
function newest() {
  return electron.created.at(-1)!.deref()
}

function shownWithTitle(title: string): Promise<void> {
  if (electron.shown.some((n) => n.title === title)) return Promise.resolve()
  return new Promise((resolve) => electron.waiters.push({ match: (t) => t === title, resolve }))
}

/** Collects garbage once the current job is over (WeakRefs stay filled until then). */
async function afterGarbageCollection(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  collectGarbage()
}

describe('desktop notifications', () => {
  it('stay referenced until the creator is done with them, so a click still opens the chat', async () => {
    await start()
    const chat = await chatWithWindow('open')
    notifications!.show({ kind: 'message', chatId: chat.id, messageId: 'msg_1', title: '@maya.bakes.bread', body: 'Do you ship to Oslo?' })
    expect(electron.shown).toEqual([{ title: '@maya.bakes.bread', body: 'Do you ship to Oslo?' }])
    await afterGarbageCollection()
    expect(newest()).toBeDefined()
    newest()!.emit('click')
    expect(opened).toEqual([chat.id])
    // Done with: let go (the registry does not grow with every notification ever shown).
    await afterGarbageCollection()
    expect(newest()).toBeUndefined()
  })

  it('send a reply through the outbox; when Instagram refuses it, a follow-up says so and the failed row stays in the thread', async () => {
    await start({ strictWindow: true })
    const chat = await chatWithWindow('open')
    const who = `@${chat.participant.username}`
    notifications!.show({ kind: 'message', chatId: chat.id, messageId: 'msg_2', title: who, body: 'Still available?' })
    await afterGarbageCollection()
    // Only Postproxy knows the window closed meanwhile: the send is accepted locally and refused with a 422.
    sim.clock.advance(25 * HOUR_MS)
    const followUp = shownWithTitle(`Your reply to ${who} wasn't sent`)
    newest()!.emit('reply', {}, 'Yes! Shipping tomorrow.')
    await followUp
    expect(electron.shown.at(-1)!.body).toMatch(/^Instagram refused this message because the 24-hour messaging window had closed\..* It's in the conversation, marked as failed\.$/s)

    const thread = await inbox.api.getThread({ chatId: chat.id })
    expect(thread.ok && thread.value.messages.find((m) => m.body === 'Yes! Shipping tomorrow.')).toMatchObject({ direction: 'outbound', status: 'failed' })
    // The follow-up opens that conversation.
    newest()!.emit('click')
    expect(opened).toEqual([chat.id])
  })

  it('show a new comment (no inline reply) and a burst of comments; a click opens the comment', async () => {
    await start()
    notifications!.show({ kind: 'comment', commentId: 'cmt_1', title: 'june.gardens commented', body: 'Still in stock?' })
    expect(newest()!.options).toEqual({ title: 'june.gardens commented', body: 'Still in stock?' })
    newest()!.emit('click')
    notifications!.show({ kind: 'summary', chatIds: [], commentIds: ['cmt_2', 'cmt_3'], title: '5 new comments', body: 'On your posts' })
    newest()!.emit('click')
    notifications!.show({ kind: 'summary', chatIds: ['chat_a'], commentIds: ['cmt_4'], title: '3 new messages and 1 new comment', body: 'From a, b and c' })
    newest()!.emit('click')
    expect(opened).toEqual(['comment:cmt_1', 'comment:cmt_3', 'chat_a'])
  })

  it('keep a reply refused before it was queued as the chat draft, and say why', async () => {
    await start()
    const chat = await chatWithWindow('closed')
    const who = `@${chat.participant.username}`
    notifications!.show({ kind: 'message', chatId: chat.id, messageId: 'msg_3', title: who, body: 'Hello?' })
    const followUp = shownWithTitle(`Your reply to ${who} wasn't sent`)
    newest()!.emit('reply', {}, 'Sorry for the late answer!')
    await followUp
    expect(electron.shown.at(-1)!.body).toMatch(/^The messaging window closed .* Your reply is saved as a draft in the conversation\.$/s)
    expect(await inbox.api.getDraft({ chatId: chat.id })).toEqual({ ok: true, value: 'Sorry for the late answer!' })
  })
})
