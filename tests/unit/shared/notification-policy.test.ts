import { describe, expect, it } from 'vitest'
import { NotificationBatcher, type NotificationPlan, type NotificationSettings } from '../../../shared/notification-policy.ts'

function batcher(options: { settings?: Partial<NotificationSettings>; inFront?: string | null; commentsInFront?: boolean } = {}) {
  const shown: NotificationPlan[] = []
  const state = { settings: { enabled: true, showPreviews: true, ...options.settings }, inFront: options.inFront ?? null, commentsInFront: options.commentsInFront ?? false }
  const b = new NotificationBatcher({
    show: (plan) => shown.push(plan),
    settings: () => state.settings,
    chatInFront: () => state.inFront,
    commentsInFront: () => state.commentsInFront,
    setTimer: () => 'manual' // the test flushes by hand
  })
  return { b, shown, state }
}

const notice = (i: number, chatId = `chat_${i}`) => ({ chatId, messageId: `msg_${i}`, sender: `@fan${i}`, preview: `Hello number ${i}` })

describe('notification rules', () => {
  it('shows the participant as title and the preview as body', () => {
    const { b, shown } = batcher()
    b.push(notice(1))
    b.flush()
    expect(shown).toEqual([{ kind: 'message', chatId: 'chat_1', messageId: 'msg_1', title: '@fan1', body: 'Hello number 1' }])
  })

  it('says only "New message" when previews are hidden, and nothing when notifications are off', () => {
    const hidden = batcher({ settings: { showPreviews: false } })
    hidden.b.push(notice(1))
    hidden.b.flush()
    expect(hidden.shown[0]).toMatchObject({ title: '@fan1', body: 'New message' })
    const off = batcher({ settings: { enabled: false } })
    off.b.push(notice(1))
    off.b.flush()
    expect(off.shown).toEqual([])
  })

  it('stays quiet for the chat already in front, including one opened before the batch shows', () => {
    const { b, shown, state } = batcher({ inFront: 'chat_1' })
    b.push(notice(1))
    b.push(notice(2))
    state.inFront = 'chat_2'
    b.flush()
    expect(shown).toEqual([])
  })

  it('shows each message once, however many times it is reported', () => {
    const { b, shown } = batcher()
    b.push(notice(1))
    b.push(notice(1))
    b.flush()
    b.push(notice(1))
    b.flush()
    expect(shown).toHaveLength(1)
  })

  it('turns a burst into one summary', () => {
    const { b, shown } = batcher()
    for (let i = 0; i < 200; i++) b.push(notice(i, `chat_${i % 7}`))
    b.flush()
    // Each chat in the order of its latest message: the last one (chat_3, message 199) is what a click opens.
    expect(shown).toEqual([{ kind: 'summary', chatIds: ['chat_4', 'chat_5', 'chat_6', 'chat_0', 'chat_1', 'chat_2', 'chat_3'], title: '200 new messages', body: 'From @fan0, @fan1 and 198 others' }])
  })

  it('opens the chat of the newest message from a summary (A, B, A opens A)', () => {
    const { b, shown } = batcher()
    for (const [i, chat] of ['A', 'B', 'A', 'B', 'A'].entries()) b.push(notice(i, chat))
    b.flush()
    expect(shown[0]).toMatchObject({ kind: 'summary', chatIds: ['B', 'A'] })
  })

  it('cuts long previews to one short line', () => {
    const { b, shown } = batcher()
    b.push({ ...notice(1), preview: `line one\nline two ${'x'.repeat(300)}` })
    b.flush()
    const body = (shown[0] as { body: string }).body
    expect(body.startsWith('line one line two')).toBe(true)
    expect(body.length).toBe(120)
    expect(body.endsWith('…')).toBe(true)
  })
})

const comment = (i: number) => ({ commentId: `cmt_${i}`, author: `fan${i}`, preview: `Nice post ${i}` })

describe('notification rules for comments', () => {
  it('says who commented and what, or only "New comment" when previews are hidden', () => {
    const { b, shown } = batcher()
    b.pushComment(comment(1))
    b.flush()
    expect(shown).toEqual([{ kind: 'comment', commentId: 'cmt_1', title: 'fan1 commented', body: 'Nice post 1' }])
    const hidden = batcher({ settings: { showPreviews: false } })
    hidden.b.pushComment(comment(1))
    hidden.b.flush()
    expect(hidden.shown).toEqual([{ kind: 'comment', commentId: 'cmt_1', title: 'fan1 commented', body: 'New comment' }])
  })

  it('has its own switch: comments off leaves messages on; notifications off silences both', () => {
    const commentsOff = batcher({ settings: { comments: false } })
    commentsOff.b.pushComment(comment(1))
    commentsOff.b.push(notice(2))
    commentsOff.b.flush()
    expect(commentsOff.shown.map((p) => p.kind)).toEqual(['message'])
    const allOff = batcher({ settings: { enabled: false, comments: true } })
    allOff.b.pushComment(comment(1))
    allOff.b.flush()
    expect(allOff.shown).toEqual([])
  })

  it('stays quiet while the Comments view is in front, and shows each comment once', () => {
    const inFront = batcher({ commentsInFront: true })
    inFront.b.pushComment(comment(1))
    inFront.b.flush()
    expect(inFront.shown).toEqual([])
    const { b, shown, state } = batcher()
    b.pushComment(comment(2))
    b.pushComment(comment(2))
    b.flush()
    b.pushComment(comment(2))
    b.flush()
    expect(shown).toHaveLength(1)
    // The creator opened the Comments view before the batch showed.
    b.pushComment(comment(3))
    state.commentsInFront = true
    b.flush()
    expect(shown).toHaveLength(1)
  })

  it('sums up a burst of comments, or of messages and comments together', () => {
    const comments = batcher()
    for (let i = 0; i < 5; i++) comments.b.pushComment(comment(i))
    comments.b.flush()
    expect(comments.shown).toEqual([
      { kind: 'summary', chatIds: [], commentIds: ['cmt_0', 'cmt_1', 'cmt_2', 'cmt_3', 'cmt_4'], title: '5 new comments', body: 'From fan0, fan1 and 3 others' }
    ])
    const mixed = batcher({ settings: { showPreviews: false } })
    mixed.b.push(notice(1, 'chat_a'))
    mixed.b.push(notice(2, 'chat_b'))
    mixed.b.pushComment(comment(3))
    mixed.b.pushComment(comment(4))
    mixed.b.flush()
    expect(mixed.shown).toEqual([
      { kind: 'summary', chatIds: ['chat_a', 'chat_b'], commentIds: ['cmt_3', 'cmt_4'], title: '2 new messages and 2 new comments', body: 'In 2 conversations and on your posts' }
    ])
    const one = batcher({ settings: { showPreviews: false } })
    for (let i = 0; i < 4; i++) one.b.pushComment(comment(i))
    one.b.flush()
    expect(one.shown[0]).toMatchObject({ title: '4 new comments', body: 'On your posts' })
  })
})

describe('when a batch is shown', () => {
  /** A batcher on a hand-driven clock: `advance` moves time and fires the timers that fall due. */
  function clocked() {
    const shown: NotificationPlan[] = []
    let now = 0
    let timers: { at: number; fn: () => void }[] = []
    const b = new NotificationBatcher({
      show: (plan) => shown.push(plan),
      settings: () => ({ enabled: true, showPreviews: true }),
      chatInFront: () => null,
      now: () => now,
      setTimer: (fn, ms) => timers.push({ at: now + ms, fn })
    })
    const advance = (ms: number) => {
      const until = now + ms
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, c) => a.at - c.at)[0]
        if (!due) break
        timers = timers.filter((t) => t !== due)
        now = due.at
        due.fn()
      }
      now = until
    }
    return { b, shown, advance }
  }

  it('keeps a burst that comes in one message at a time (a round trip each) together, however long it takes', () => {
    const { b, shown, advance } = clocked()
    for (let i = 0; i < 6; i++) {
      b.push(notice(i))
      advance(900)
    }
    expect(shown).toEqual([])
    advance(600)
    expect(shown).toEqual([expect.objectContaining({ kind: 'summary', title: '6 new messages' })])
  })

  it('keeps comments that come in one by one in the same batch as the messages around them', () => {
    const { b, shown, advance } = clocked()
    b.push(notice(1))
    advance(900)
    b.pushComment(comment(2))
    advance(900)
    b.pushComment(comment(3))
    advance(900)
    b.push(notice(4))
    expect(shown).toEqual([])
    advance(1_500)
    expect(shown).toEqual([expect.objectContaining({ kind: 'summary', title: '2 new messages and 2 new comments' })])
  })

  it('shows messages more than a window apart separately', () => {
    const { b, shown, advance } = clocked()
    b.push(notice(1))
    advance(1_500)
    b.push(notice(2))
    advance(1_500)
    expect(shown.map((plan) => plan.title)).toEqual(['@fan1', '@fan2'])
  })

  it('does not hold a steady trickle back for ever: at most 10 s after its first message', () => {
    const { b, shown, advance } = clocked()
    for (let i = 0; i < 30; i++) {
      b.push(notice(i))
      advance(500)
    }
    expect(shown[0]).toMatchObject({ kind: 'summary', title: '20 new messages' })
  })
})
