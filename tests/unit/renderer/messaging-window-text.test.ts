import { describe, expect, it } from 'vitest'
import { messagingWindow } from '../../../shared/messaging-window.ts'
import { loadMessagingWindowText } from './renderer-modules.ts'

const { composerRestriction, windowChip, windowOf, windowSentence, windowTone } = await loadMessagingWindowText()

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const lastInbound = Date.parse('2025-06-15T10:00:00.000Z')
const lastInboundIso = new Date(lastInbound).toISOString()
const closesAt = lastInbound + DAY

/** Everything the UI says about the window at `now`. */
function wording(now: number) {
  const window = windowOf(lastInboundIso, now)
  return {
    state: window.state,
    chip: windowChip(window, now),
    sentence: windowSentence(window, now),
    tone: windowTone(window),
    restriction: composerRestriction(window, now, 'instagram')
  }
}

describe('messaging window wording', () => {
  it('reads the window from the last inbound time, as shared/messaging-window.ts does', () => {
    for (const now of [lastInbound, closesAt - 3 * HOUR, closesAt - MINUTE, closesAt, lastInbound + 8 * DAY]) {
      expect(windowOf(lastInboundIso, now)).toEqual(messagingWindow(lastInboundIso, now))
    }
    expect(windowOf(null, lastInbound)).toEqual({ state: 'never_opened' })
    expect(windowOf('not a date', lastInbound)).toEqual({ state: 'never_opened' })
  })

  it('just after they wrote: open, no restriction', () => {
    expect(wording(lastInbound + 5 * MINUTE)).toEqual({
      state: 'open',
      chip: { text: 'Open', spoken: 'messaging window open', tone: 'open' },
      sentence: 'Messaging window open · closes in 23 hours',
      tone: 'open',
      restriction: null
    })
  })

  it('closing in 2 hours and a minute is still plainly open', () => {
    const w = wording(closesAt - 2 * HOUR - MINUTE)
    expect(w.chip).toEqual({ text: 'Open', spoken: 'messaging window open', tone: 'open' })
    expect(w.sentence).toBe('Messaging window open · closes in 2 hours')
  })

  it('closing in exactly 2 hours warns', () => {
    const w = wording(closesAt - 2 * HOUR)
    expect(w.state).toBe('closing_soon')
    expect(w.chip).toEqual({ text: 'Closes in 2h', spoken: 'messaging window closes in 2 hours', tone: 'closing' })
    expect(w.sentence).toBe('Messaging window open · closes in 2 hours')
    expect(w.restriction).toBeNull()
  })

  it('closing in 59 minutes counts down in minutes', () => {
    const w = wording(closesAt - 59 * MINUTE)
    expect(w.chip).toEqual({ text: 'Closes in 59m', spoken: 'messaging window closes in 59 minutes', tone: 'closing' })
    expect(w.sentence).toBe('Messaging window open · closes in 59 minutes')
    expect(w.tone).toBe('closing')
    expect(w.restriction).toBeNull()
  })

  it('rounds down, and never shows "0m" in the last minute', () => {
    expect(wording(closesAt - HOUR - 59 * MINUTE).chip?.text).toBe('Closes in 1h')
    expect(wording(closesAt - 30_000).chip?.text).toBe('Closes in 1m')
    expect(wording(closesAt - 30_000).sentence).toBe('Messaging window open · closes in less than a minute')
    expect(wording(closesAt - 1).state).toBe('closing_soon')
  })

  it('at 24 hours: closed for normal replies, human-agent replies for 6 more days', () => {
    const w = wording(closesAt)
    expect(w.state).toBe('human_agent_only')
    expect(w.chip).toEqual({ text: 'Closed', spoken: 'messaging window closed', tone: 'closed' })
    expect(w.sentence).toBe('Messaging window closed less than a minute ago · human-agent replies possible for 6 days')
    // The header stays amber while a human-agent reply is possible; the row chip already says Closed.
    expect(w.tone).toBe('closing')
    expect(w.restriction).toContain('closed less than a minute ago')
    expect(w.restriction).toContain('human-agent reply for another 6 days')
  })

  it('three days later the human-agent time left shrinks with it', () => {
    const w = wording(closesAt + 3 * DAY + 2 * HOUR)
    expect(w.sentence).toBe('Messaging window closed 3 days ago · human-agent replies possible for 2 days')
    expect(w.restriction).toContain('another 2 days')
  })

  it('after 7 days: closed for every kind of reply', () => {
    const w = wording(lastInbound + 7 * DAY)
    expect(w.state).toBe('closed')
    expect(w.chip).toEqual({ text: 'Closed', spoken: 'messaging window closed', tone: 'closed' })
    expect(w.tone).toBe('closed')
    expect(w.sentence).toBe('Messaging window closed 6 days ago')
    expect(w.restriction).toMatch(/^You can't reply here: .*closed 6 days ago\. You can write again as soon as they message you/)
  })

  it('never opened: no chip, and the composer explains why', () => {
    const window = windowOf(null, closesAt)
    expect(windowChip(window, closesAt)).toBeNull()
    expect(windowTone(window)).toBe('closed')
    expect(windowSentence(window, closesAt)).toBe("Messaging window not open: they haven't written to you yet")
    expect(composerRestriction(window, closesAt, 'instagram')).toMatch(/^You can't message them yet/)
  })
})

describe('a private reply is offered only when a recent comment can take one', () => {
  const dayAfterClose = closesAt + DAY
  const weekAfter = lastInbound + 8 * DAY

  it('a human-agent window mentions it with a comment, not without, not while unknown', () => {
    const window = windowOf(lastInboundIso, dayAfterClose)
    expect(composerRestriction(window, dayAfterClose, 'instagram', 1)).toMatch(/human-agent reply for another 5 days\. Or send a private reply to their recent comment, below\.$/)
    expect(composerRestriction(window, dayAfterClose, 'instagram', 0)).not.toMatch(/private reply/)
    expect(composerRestriction(window, dayAfterClose, 'instagram', null)).not.toMatch(/private reply/)
  })

  it('a closed window mentions it with a comment only', () => {
    const window = windowOf(lastInboundIso, weekAfter)
    expect(composerRestriction(window, weekAfter, 'instagram', 2)).toMatch(/as soon as they message you, or send a private reply to their recent comment below\.$/)
    expect(composerRestriction(window, weekAfter, 'instagram', 0)).toMatch(/as soon as they message you\.$/)
  })

  it('a chat they never wrote in says how Instagram works, and whether a comment can be answered', () => {
    const window = windowOf(null, weekAfter)
    const rule = "You can't message them yet: Instagram lets you write only after they message you, or through a private reply to one of their comments."
    expect(composerRestriction(window, weekAfter, 'instagram', 1)).toBe(`${rule} They have a recent comment you can answer below.`)
    expect(composerRestriction(window, weekAfter, 'instagram', 0)).toBe(`${rule} None of their comments from the last 7 days can take one.`)
    expect(composerRestriction(window, weekAfter, 'instagram', null)).toBe(rule)
  })
})

describe('the window is the chat platform’s rule, named so', () => {
  const dayAfterClose = closesAt + DAY
  const weekAfter = lastInbound + 8 * DAY

  it('a Messenger chat hears "Facebook Messenger", never "Instagram", in every state', () => {
    const humanAgent = composerRestriction(windowOf(lastInboundIso, dayAfterClose), dayAfterClose, 'facebook', 1)
    expect(humanAgent).toBe(
      'Facebook Messenger only allows normal replies within 24 hours of their last message, and that window closed 1 day ago. A person on your team can still answer with a human-agent reply for another 5 days. Or send a private reply to their recent comment, below.'
    )
    expect(composerRestriction(windowOf(lastInboundIso, weekAfter), weekAfter, 'facebook', 0)).toMatch(/^You can't reply here: Facebook Messenger allows replies only within 24 hours/)
    expect(composerRestriction(windowOf(null, weekAfter), weekAfter, 'facebook', null)).toBe(
      "You can't message them yet: Facebook Messenger lets you write only after they message you, or through a private reply to one of their comments."
    )
    for (const now of [dayAfterClose, weekAfter]) {
      for (const lastIn of [lastInboundIso, null]) expect(composerRestriction(windowOf(lastIn, now), now, 'facebook', 1)).not.toMatch(/Instagram/)
    }
  })

  it('an Instagram chat keeps its words', () => {
    expect(composerRestriction(windowOf(lastInboundIso, dayAfterClose), dayAfterClose, 'instagram', 0)).toMatch(/^Instagram only allows normal replies within 24 hours/)
  })
})
