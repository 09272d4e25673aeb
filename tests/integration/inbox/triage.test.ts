// Triage through the real core and its InboxApi, on real SQLite files, against the real simulator:
// done, snooze, pin and labels; snoozes ending on the app clock (a fake one) and at start-up; a chat
// coming back when the person writes again (injected in the simulator, brought in by the real sync);
// surviving a restart and a full resync; undo; bulk actions.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChatSummary, ChatView, InboxEvents, InboxResult, InboxStatus } from '../../../shared/inbox-api.ts'
import { Inbox } from '../../../electron/inbox/inbox.ts'
import { MemorySecretStore } from '../../../electron/inbox/secrets/index.ts'
import { startSimulator, type RunningSimulator } from '../../../simulator/index.ts'
import { FakeClock } from '../../support/fake-clock.ts'
import { InboxEventLog } from '../../support/inbox-event-log.ts'

const HOUR = 3_600_000

let dir: string
let sim: RunningSimulator
let secrets: MemorySecretStore
let clock: FakeClock
let inbox: Inbox | undefined
let log: InboxEventLog

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-triage-'))
  sim = await startSimulator({ scenario: 'demo', seed: 7 })
  secrets = new MemorySecretStore()
  clock = new FakeClock(Date.now())
})

afterEach(async () => {
  await inbox?.close()
  inbox = undefined
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

async function open(): Promise<Inbox> {
  inbox = await Inbox.open({
    dataDir: dir,
    secrets,
    postproxyBaseUrl: sim.url,
    now: clock.now,
    timers: clock,
    clientOptions: { backoff: { baseMs: 5, maxMs: 20 }, maxRetries: 1 }
  })
  log = new InboxEventLog(inbox)
  return inbox
}

async function restart(): Promise<Inbox> {
  await inbox!.close()
  inbox = undefined
  return open()
}

function value<T>(result: InboxResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

async function signedInAndSynced(): Promise<Inbox> {
  const core = await open()
  value(await core.api.signIn({ apiKey: sim.apiKey }))
  await log.next('status', (s: InboxStatus) => s.sync.lastSyncedAt !== null && s.sync.state === 'idle')
  return core
}

async function list(view: ChatView, extra: { filter?: 'all' | 'unread'; labelId?: number | null } = {}): Promise<ChatSummary[]> {
  return value(await inbox!.api.listChats({ view, limit: 200, ...extra })).chats
}

const idsOf = (chats: ChatSummary[]) => chats.map((c) => c.id)

describe('putting chats away', () => {
  it('done, snooze, pin and labels change the views, and survive a restart and a full resync', async () => {
    const { api } = await signedInAndSynced()
    const [first, second, third, fourth] = await list('inbox')
    value(await api.triageChats({ chatIds: [first.id], action: { kind: 'done' } }))
    value(await api.triageChats({ chatIds: [second.id], action: { kind: 'snooze', until: new Date(clock.now() + 3 * HOUR).toISOString() } }))
    value(await api.triageChats({ chatIds: [fourth.id], action: { kind: 'pin' } }))
    const vip = value(await api.createLabel({ name: 'VIP', color: 'purple' }))
    value(await api.triageChats({ chatIds: [third.id, fourth.id], action: { kind: 'label', labelId: vip.id, on: true } }))

    const expectViews = async () => {
      const inboxView = await list('inbox')
      expect(inboxView[0]).toMatchObject({ id: fourth.id, triage: { view: 'inbox', pinned: true }, labelIds: [vip.id] })
      expect(idsOf(inboxView)).not.toContain(first.id)
      expect(idsOf(inboxView)).not.toContain(second.id)
      expect(idsOf(await list('done'))).toEqual([first.id])
      expect(await list('snoozed')).toMatchObject([{ id: second.id, triage: { view: 'snoozed', snoozedUntil: new Date(clock.now() + 3 * HOUR).toISOString() } }])
      expect(idsOf(await list('inbox', { labelId: vip.id }))).toEqual([fourth.id, third.id])
      expect(value(await inbox!.api.listLabels())).toEqual([{ id: vip.id, name: 'VIP', color: 'purple', chatCount: 2 }])
    }
    await expectViews()

    await restart()
    await expectViews()

    // A full resync, after the start-up sync: the initial sync runs again and upserts every chat and message.
    await log.next('status', (s: InboxStatus) => s.sync.lastSyncedAt !== null && s.sync.state === 'idle')
    inbox!.cache.syncState.set(sim.profileId, 'initial_sync_done', '0')
    value(await inbox!.api.syncNow())
    expect(inbox!.cache.syncState.get(sim.profileId, 'initial_sync_done')).toBe('1')
    await expectViews()
  })

  it('a chat comes back when the person writes again, brought in by the real sync, and says why', async () => {
    const { api } = await signedInAndSynced()
    const [chat] = await list('inbox')
    value(await api.triageChats({ chatIds: [chat.id], action: { kind: 'done' } }))
    expect(idsOf(await list('inbox'))).not.toContain(chat.id)
    const unreadBefore = value(await api.getStatus()).unreadTotal

    sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: chat.participant.externalId, body: 'Are you still there?' })
    value(await api.syncNow())

    const back = (await list('inbox')).find((c) => c.id === chat.id)
    expect(back).toMatchObject({ triage: { view: 'inbox', returned: { reason: 'wrote_again' } }, preview: { text: 'Are you still there?' } })
    expect(idsOf(await list('done'))).not.toContain(chat.id)
    // It nags again: its unread message counts in the badge.
    expect(value(await api.getStatus()).unreadTotal).toBeGreaterThan(unreadBefore)
  })

  it('does not count snoozed and done chats in the badge', async () => {
    const { api } = await signedInAndSynced()
    const unread = (await list('inbox', { filter: 'unread' })).slice(0, 2)
    expect(unread).toHaveLength(2)
    const before = value(await api.getStatus()).unreadTotal
    value(await api.triageChats({ chatIds: [unread[0].id], action: { kind: 'done' } }))
    value(await api.triageChats({ chatIds: [unread[1].id], action: { kind: 'snooze', until: new Date(clock.now() + HOUR).toISOString() } }))
    expect(value(await api.getStatus()).unreadTotal).toBe(before - unread[0].unreadCount - unread[1].unreadCount)
  })

  it('refuses a snooze in the past, an unknown label and unknown chats, in plain words, changing nothing', async () => {
    const { api } = await signedInAndSynced()
    const [chat] = await list('inbox')
    expect(await api.triageChats({ chatIds: [chat.id], action: { kind: 'snooze', until: new Date(clock.now() - 1000).toISOString() } })).toEqual({
      ok: false,
      error: { code: 'invalid_argument', message: 'That time has already passed. Choose a time in the future to snooze until.' }
    })
    expect(await api.triageChats({ chatIds: [chat.id], action: { kind: 'label', labelId: 999, on: true } })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await api.triageChats({ chatIds: ['chat_nope'], action: { kind: 'done' } })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await inbox!.invoke('triageChats', { chatIds: [], action: { kind: 'done' } })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
    expect(await list('done')).toEqual([])
    expect(await list('snoozed')).toEqual([])
  })
})

describe('snoozes end on the app clock', () => {
  it('one timer wakes the chat at its time and pushes chats-changed; the list says the snooze ended', async () => {
    const { api } = await signedInAndSynced()
    const [a, b] = await list('inbox')
    const until = clock.now() + 2 * HOUR
    value(await api.triageChats({ chatIds: [a.id], action: { kind: 'snooze', until: new Date(until).toISOString() } }))
    value(await api.triageChats({ chatIds: [b.id], action: { kind: 'snooze', until: new Date(until + HOUR).toISOString() } }))
    expect(clock.pending).toBe(1)

    clock.advance(2 * HOUR - 1)
    expect(idsOf(await list('snoozed')).sort()).toEqual([a.id, b.id].sort())
    log.events.splice(0)
    clock.advance(1)
    await log.next('chats-changed', (e) => e.chatIds.includes(a.id))
    expect((await list('inbox')).find((c) => c.id === a.id)?.triage).toEqual({
      view: 'inbox',
      pinned: false,
      snoozedUntil: null,
      returned: { reason: 'snooze_ended', at: new Date(until).toISOString() }
    })
    expect(idsOf(await list('snoozed'))).toEqual([b.id])
    // Re-armed for the next one.
    expect(clock.pending).toBe(1)
    clock.advance(HOUR)
    expect(await list('snoozed')).toEqual([])
    expect(clock.pending).toBe(0)
  })

  it('wakes at start-up what ended while the app was closed', async () => {
    const { api } = await signedInAndSynced()
    const [chat] = await list('inbox')
    value(await api.triageChats({ chatIds: [chat.id], action: { kind: 'snooze', until: new Date(clock.now() + HOUR).toISOString() } }))
    await inbox!.close()
    inbox = undefined
    clock.advance(5 * HOUR)
    await open()
    expect((await list('inbox')).find((c) => c.id === chat.id)?.triage.returned?.reason).toBe('snooze_ended')
  })

  it('a reply makes the "came back" note go', async () => {
    const { api } = await signedInAndSynced()
    const chat = (await list('inbox')).find((c) => c.lastInboundAt && clock.now() - Date.parse(c.lastInboundAt) < 20 * HOUR)!
    value(await api.triageChats({ chatIds: [chat.id], action: { kind: 'snooze', until: new Date(clock.now() + 60_000).toISOString() } }))
    clock.advance(60_000)
    expect((await list('inbox')).find((c) => c.id === chat.id)?.triage.returned).not.toBeNull()
    value(await api.sendText({ chatId: chat.id, text: 'Back to you now!' }))
    expect((await list('inbox')).find((c) => c.id === chat.id)?.triage.returned).toBeNull()
  })
})

describe('undo and bulk', () => {
  it('undoes a bulk action exactly, once', async () => {
    const { api } = await signedInAndSynced()
    const chats = (await list('inbox')).slice(0, 3)
    const vip = value(await api.createLabel({ name: 'VIP', color: 'purple' }))
    value(await api.triageChats({ chatIds: [chats[0].id], action: { kind: 'pin' } }))
    value(await api.triageChats({ chatIds: [chats[1].id], action: { kind: 'label', labelId: vip.id, on: true } }))
    const before = await list('inbox')

    const outcome = value(await api.triageChats({ chatIds: [...chats.map((c) => c.id), 'chat_gone'], action: { kind: 'done' } }))
    expect(outcome.chatIds).toEqual(chats.map((c) => c.id))
    expect(idsOf(await list('done')).sort()).toEqual(chats.map((c) => c.id).sort())

    value(await api.undoTriage({ undoId: outcome.undoId }))
    expect(await list('inbox')).toEqual(before)
    expect(await list('done')).toEqual([])
    expect(await api.undoTriage({ undoId: outcome.undoId })).toEqual({ ok: false, error: { code: 'not_found', message: 'That can no longer be undone.' } })
  })

  it('undoes a label change and a snooze (the timer follows)', async () => {
    const { api } = await signedInAndSynced()
    const [a, b] = await list('inbox')
    const vip = value(await api.createLabel({ name: 'VIP', color: 'purple' }))
    const labelled = value(await api.triageChats({ chatIds: [a.id, b.id], action: { kind: 'label', labelId: vip.id, on: true } }))
    expect(idsOf(await list('inbox', { labelId: vip.id }))).toEqual([a.id, b.id])
    value(await api.undoTriage({ undoId: labelled.undoId }))
    expect(await list('inbox', { labelId: vip.id })).toEqual([])

    const snoozed = value(await api.triageChats({ chatIds: [a.id], action: { kind: 'snooze', until: new Date(clock.now() + HOUR).toISOString() } }))
    expect(clock.pending).toBe(1)
    value(await api.undoTriage({ undoId: snoozed.undoId }))
    expect(clock.pending).toBe(0)
    expect((await list('inbox'))[0].id).toBe(a.id)
  })
})

describe('labels', () => {
  it('are created, renamed, recoloured, reordered and deleted, with every change announced', async () => {
    const { api } = await signedInAndSynced()
    const vip = value(await api.createLabel({ name: '  VIP ', color: 'purple' }))
    expect(vip).toMatchObject({ name: 'VIP', chatCount: 0 })
    const collab = value(await api.createLabel({ name: 'Collab', color: 'blue' }))
    expect(await api.createLabel({ name: 'vip', color: 'red' })).toEqual({ ok: false, error: { code: 'invalid_argument', message: 'There is already a label called “vip”.' } })
    expect(await inbox!.invoke('createLabel', { name: 'X', color: '#ff0000' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })

    expect(value(await api.updateLabel({ id: vip.id, name: 'Top fans', color: 'pink' }))).toMatchObject({ name: 'Top fans', color: 'pink' })
    expect(value(await api.reorderLabels({ ids: [collab.id, vip.id] })).map((l) => l.name)).toEqual(['Collab', 'Top fans'])
    expect(await api.reorderLabels({ ids: [collab.id] })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
    value(await api.deleteLabel({ id: collab.id }))
    expect(value(await api.listLabels()).map((l) => l.name)).toEqual(['Top fans'])
    const pushed = log.events.filter((e) => e.name === 'labels-changed').map((e) => (e.payload as InboxEvents['labels-changed']).labels.map((l) => l.name))
    expect(pushed.at(-1)).toEqual(['Top fans'])
    expect(pushed.length).toBe(5)
  })
})
