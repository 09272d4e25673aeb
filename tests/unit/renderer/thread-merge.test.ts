import { describe, expect, it } from 'vitest'
import type { ThreadMessage, ThreadPage } from '../../../shared/inbox-api.ts'
import { loadThreadModel } from './renderer-modules.ts'

const { mergeNewestPage, messageKey } = await loadThreadModel()

const PAGE = 50
const START = Date.parse('2025-06-15T08:00:00.000Z')

function message(n: number, fields: Partial<ThreadMessage> = {}): ThreadMessage {
  return {
    id: `m${n}`,
    localId: null,
    chatId: 'chat-1',
    direction: n % 3 === 0 ? 'outbound' : 'inbound',
    body: `message ${n}`,
    status: n % 3 === 0 ? 'delivered' : 'received',
    error: null,
    retryable: false,
    attachments: [],
    lovedByYou: false,
    participantReactions: [],
    storyReply: null,
    isStoryMention: false,
    privateReplyTo: null,
    isDeleted: false,
    isUnsupported: false,
    externalId: `mid.${n}`,
    editedAt: null,
    replyTo: null,
    quickReplies: null,
    buttons: null,
    card: null,
    tappedAction: null,
    at: new Date(START + n * 60_000).toISOString(),
    cursor: `before-m${n}`,
    ...fields
  }
}

function thread(from: number, to: number): ThreadMessage[] {
  const messages: ThreadMessage[] = []
  for (let n = from; n <= to; n++) messages.push(message(n))
  return messages
}

/** What the core answers for the newest page: newest first, with a cursor when older messages exist. */
function newestPage(all: ThreadMessage[]): ThreadPage {
  const page = all.slice(-PAGE)
  return { messages: [...page].reverse(), olderCursor: all.length > PAGE ? page[0].cursor : null }
}

const ids = (messages: ThreadMessage[]) => messages.map((m) => m.id)

describe('messageKey', () => {
  it('follows a send through its id change', () => {
    expect(messageKey(message(1))).toBe('m1')
    expect(messageKey(message(1, { id: 'local-7', localId: 'local-7' }))).toBe('local-7')
    expect(messageKey(message(1, { id: 'ig-123', localId: 'local-7' }))).toBe('local-7')
  })
})

describe('mergeNewestPage', () => {
  it('keeps the older pages loaded on scroll when a new message arrives', () => {
    // 120 messages loaded (newest page + older pages), the oldest 30 not loaded yet.
    const loaded = thread(31, 150)
    const page = newestPage(thread(1, 151))
    const merged = mergeNewestPage(loaded, page, 'before-m31')
    expect(ids(merged.messages)).toEqual(ids(thread(31, 151)))
    // Loading older still continues before m31, not before the refreshed page.
    expect(merged.olderCursor).toBe('before-m31')
  })

  it('takes the whole thread from a page that reaches its start', () => {
    const loaded = thread(1, 10)
    const merged = mergeNewestPage(loaded, newestPage(thread(1, 12)), null)
    expect(ids(merged.messages)).toEqual(ids(thread(1, 12)))
    expect(merged.olderCursor).toBeNull()
  })

  it('starts from the page when nothing was loaded', () => {
    const merged = mergeNewestPage([], newestPage(thread(1, 80)), null)
    expect(ids(merged.messages)).toEqual(ids(thread(31, 80)))
    expect(merged.olderCursor).toBe('before-m31')
  })

  it('replaces loaded copies with fresh ones (status, love) without duplicating them', () => {
    const loaded = thread(1, 100)
    const all = thread(1, 100)
    all[99] = message(100, { status: 'seen' })
    all[97] = message(98, { lovedByYou: true })
    const merged = mergeNewestPage(loaded, newestPage(all), 'before-m1')
    expect(ids(merged.messages)).toEqual(ids(all))
    expect(merged.messages.at(-1)!.status).toBe('seen')
    expect(merged.messages[97].lovedByYou).toBe(true)
  })

  it('keeps one row for a pending send that got its Instagram id', () => {
    const pending = message(101, { id: 'local-abc', localId: 'local-abc', direction: 'outbound', status: 'sending' })
    const loaded = [...thread(1, 100), pending]
    const all = [...thread(1, 100), message(101, { id: 'ig-555', localId: 'local-abc', direction: 'outbound', status: 'sent' })]
    const merged = mergeNewestPage(loaded, newestPage(all), 'before-m1')
    expect(merged.messages).toHaveLength(101)
    expect(merged.messages.at(-1)).toMatchObject({ id: 'ig-555', localId: 'local-abc', status: 'sent' })
  })

  it('drops a message deleted from the refreshed range', () => {
    const loaded = thread(1, 100)
    const all = thread(1, 100).filter((m) => m.id !== 'm90')
    const merged = mergeNewestPage(loaded, newestPage(all), 'before-m1')
    expect(ids(merged.messages)).toEqual(ids(all))
  })

  it('shows an empty thread when the page is empty', () => {
    expect(mergeNewestPage(thread(1, 5), { messages: [], olderCursor: null }, null)).toEqual({ messages: [], olderCursor: null })
  })

  // Regression (was a bug in renderer/src/lib/inbox/thread-model.svelte.ts:21-25): when more than a page of
  // messages arrived since the last refresh (waking from sleep, a reconnect), the newest page does not
  // overlap what is loaded; the fallback keeps every loaded message older than the page and the loaded
  // cursor, so m101..m110 are silently missing between them and no "load older" ever fetches them.
  it('never leaves a silent gap when more than a page arrived at once', () => {
    const loaded = thread(51, 100)
    const all = thread(1, 160)
    const merged = mergeNewestPage(loaded, newestPage(all), 'before-m51')
    const shown = ids(merged.messages)
    const firstShown = shown.length > 0 ? Number(shown[0].slice(1)) : 161
    // Whatever is shown is a contiguous run of the thread ending at the newest message...
    expect(shown).toEqual(ids(thread(firstShown, 160)))
    // ...and "load older" continues right before the oldest message shown.
    expect(merged.olderCursor).toBe(`before-m${firstShown}`)
  })
})
