// Web mode's notifications: the shared rules (shared/notification-policy.ts, tested on their own)
// turned into what the browser shows. Showing needs the Notification API and is left to end-to-end tests.
import { describe, expect, it } from 'vitest'
import { NotificationBatcher, type InboundNotice } from '../../../shared/notification-policy.ts'
import { loadWebNotifications, type NoticeToShow } from './renderer-modules.ts'

const { noticeFor, notificationsSupported } = await loadWebNotifications()

/** The wiring of InboxApp in web mode, with the batch window closed by hand. */
function webNotifications() {
  const shown: NoticeToShow[] = []
  const batcher = new NotificationBatcher({
    show: (plan) => shown.push(noticeFor(plan)),
    settings: () => ({ enabled: true, showPreviews: true }),
    chatInFront: () => null,
    setTimer: () => 'flushed by the test'
  })
  return { shown, batcher }
}

function inbound(n: number, chatId: string, sender: string): InboundNotice {
  return { chatId, messageId: `msg-${n}`, sender, preview: `message ${n}` }
}

describe('noticeFor', () => {
  it('tags a message notification by its chat, so a chat shows only its latest', () => {
    expect(noticeFor({ kind: 'message', chatId: 'chat-jane', messageId: 'm1', title: 'jane', body: 'Is the hoodie back?' })).toEqual({
      title: 'jane',
      body: 'Is the hoodie back?',
      tag: 'dmdesk-chat-chat-jane',
      chatId: 'chat-jane'
    })
  })

  it('gives every summary one tag, so it updates in place, and opens the latest chat to join it', () => {
    expect(noticeFor({ kind: 'summary', chatIds: ['chat-a', 'chat-b', 'chat-c'], title: '7 new messages', body: 'From a, b and 1 other' })).toEqual({
      title: '7 new messages',
      body: 'From a, b and 1 other',
      tag: 'dmdesk-summary',
      chatId: 'chat-c'
    })
  })

  it('tags a comment notification by its comment, and opens it in the Comments view', () => {
    expect(noticeFor({ kind: 'comment', commentId: 'cmt_1', title: 'june commented', body: 'In stock?' })).toEqual({
      title: 'june commented',
      body: 'In stock?',
      tag: 'dmdesk-comment-cmt_1',
      chatId: null,
      commentId: 'cmt_1'
    })
    // A burst of only comments opens the newest; one with messages opens the newest chat.
    expect(noticeFor({ kind: 'summary', chatIds: [], commentIds: ['cmt_1', 'cmt_2'], title: '5 new comments', body: 'On your posts' })).toMatchObject({ chatId: null, commentId: 'cmt_2' })
    expect(noticeFor({ kind: 'summary', chatIds: ['chat-a'], commentIds: ['cmt_1'], title: '2 new messages and 2 new comments', body: '…' })).toMatchObject({ chatId: 'chat-a' })
  })

  it('knows there is no Notification API outside a browser', () => {
    expect(notificationsSupported()).toBe(false)
  })
})

describe('web mode notifications', () => {
  it('shows up to 3 messages arriving together one by one', () => {
    const { shown, batcher } = webNotifications()
    batcher.push(inbound(1, 'chat-a', 'jane'))
    batcher.push(inbound(2, 'chat-b', 'omar'))
    batcher.push(inbound(3, 'chat-a', 'jane'))
    batcher.flush()
    expect(shown.map((n) => [n.tag, n.body])).toEqual([
      ['dmdesk-chat-chat-a', 'message 1'],
      ['dmdesk-chat-chat-b', 'message 2'],
      ['dmdesk-chat-chat-a', 'message 3']
    ])
  })

  it('turns 200 messages after a night offline into one summary', () => {
    const { shown, batcher } = webNotifications()
    for (let n = 0; n < 200; n++) batcher.push(inbound(n, `chat-${n % 5}`, `fan${n % 5}`))
    batcher.flush()
    expect(shown).toEqual([{ title: '200 new messages', body: 'From fan0, fan1 and 3 others', tag: 'dmdesk-summary', chatId: 'chat-4' }])
  })
})
