import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadDraftSaver } from './renderer-modules.ts'

const { DraftSaver } = await loadDraftSaver()

const LONE_SURROGATE = /\p{Cs}/u

describe('DraftSaver', () => {
  let saved: string[]
  beforeEach(() => {
    vi.useFakeTimers()
    saved = []
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function saver(initial = '') {
    return new DraftSaver(initial, (text) => saved.push(text))
  }

  it('saves half a second after typing stops, once, with the latest text', () => {
    const drafts = saver()
    for (const text of ['H', 'He', 'Hel', 'Hello']) {
      drafts.changed(text)
      vi.advanceTimersByTime(300)
    }
    expect(saved).toEqual([])
    vi.advanceTimersByTime(199)
    expect(saved).toEqual([])
    vi.advanceTimersByTime(1)
    expect(saved).toEqual(['Hello'])
    vi.advanceTimersByTime(10_000)
    expect(saved).toEqual(['Hello'])
  })

  it('does not save text that equals what is already saved', () => {
    const drafts = saver('see you at 5')
    drafts.changed('see you at 5!')
    drafts.changed('see you at 5')
    vi.runAllTimers()
    expect(saved).toEqual([])
    drafts.loaded('from the core')
    drafts.changed('from the core')
    drafts.flush()
    expect(saved).toEqual([])
  })

  it('saves at once on flush (the chat closes), and not again when the timer would have fired', () => {
    const drafts = saver()
    drafts.changed('half a thought')
    drafts.flush()
    expect(saved).toEqual(['half a thought'])
    vi.runAllTimers()
    drafts.flush()
    expect(saved).toEqual(['half a thought'])
  })

  it('empties the saved draft when the message is sent, only if there was one', () => {
    const drafts = saver('old draft')
    drafts.cleared()
    expect(saved).toEqual([''])
    drafts.cleared()
    expect(saved).toEqual([''])
  })

  it('cancels a pending save when the message is sent first', () => {
    const drafts = saver()
    drafts.changed('sending this now')
    drafts.cleared()
    vi.runAllTimers()
    expect(saved).toEqual([])
  })

  it("keeps to the contract's 20,000-character limit", () => {
    const drafts = saver()
    drafts.changed('a'.repeat(25_000))
    drafts.flush()
    expect(saved[0]).toHaveLength(20_000)
  })

  // Regression (was a bug in renderer/src/lib/composer/draft-saver.ts:24): `slice(0, 20_000)` counts UTF-16
  // units, so an emoji straddling the limit is cut in half and a lone surrogate is saved.
  it('never cuts an emoji in half at the limit', () => {
    const drafts = saver()
    drafts.changed(`${'a'.repeat(19_999)}😀 and more`)
    drafts.flush()
    expect(saved[0]).not.toMatch(LONE_SURROGATE)
    expect(saved[0].length).toBeLessThanOrEqual(20_000)
  })
})
