// The renderer's pure triage and saved-reply pieces: fuzzy ranking, the multi-selection, and which
// actions take a row out of the list on screen.
import { describe, expect, it } from 'vitest'
import { loadChatSelection, loadFuzzyRank, loadTriageModel } from './renderer-modules.ts'

const { rankSavedReplies, wordScore } = await loadFuzzyRank()
const { ChatSelection } = await loadChatSelection()
const { leavesView } = await loadTriageModel()

const replies = [
  { title: 'Relationship advice', text: 'We are not that kind of account.' },
  { title: 'Shipping times', text: 'We ship worldwide in 3–5 days.' },
  { title: 'Sizes', text: 'Our sizes run true to fit.' },
  { title: 'Crème brûlée recipe', text: 'Caramelize the top.' },
  { title: 'Sale', text: 'Everything is shipped free this week.' }
]
const titles = (items: { title: string }[]) => items.map((r) => r.title)

describe('fuzzy ranking of saved replies', () => {
  it('ranks a word start in the title above one inside a word, above one in the text, above scattered letters', () => {
    expect(wordScore('ship', 'shipping times')).toBeGreaterThan(wordScore('ship', 'relationship advice'))
    expect(titles(rankSavedReplies(replies, 'ship'))).toEqual(['Shipping times', 'Relationship advice', 'Sale'])
    expect(titles(rankSavedReplies(replies, 'shpng'))).toEqual(['Shipping times'])
  })

  it('needs every word to match somewhere, and ignores case and accents', () => {
    expect(titles(rankSavedReplies(replies, 'ship free'))).toEqual(['Sale'])
    expect(titles(rankSavedReplies(replies, 'CREME brulee'))).toEqual(['Crème brûlée recipe'])
    expect(rankSavedReplies(replies, 'zzz')).toEqual([])
  })

  it('keeps the creator\'s order for an empty query and for ties, and honours the limit', () => {
    expect(rankSavedReplies(replies, '  ')).toEqual(replies)
    expect(titles(rankSavedReplies(replies, 'e', 2))).toHaveLength(2)
    const twins = [{ title: 'Hello A', text: '' }, { title: 'Hello B', text: '' }]
    expect(titles(rankSavedReplies(twins, 'hello'))).toEqual(['Hello A', 'Hello B'])
  })

  it('filters a thousand replies quickly', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ title: `Reply ${i} about orders`, text: `Thanks for order number ${i}! `.repeat(8) }))
    rankSavedReplies(many, 'warm up')
    const started = performance.now()
    const found = rankSavedReplies(many, 'ordr 99', 50)
    // Generous for a busy machine; the bench measures the real figure end to end.
    expect(performance.now() - started).toBeLessThan(200)
    expect(found[0].title).toBe('Reply 99 about orders')
  })
})

describe('the chat selection', () => {
  const order = ['a', 'b', 'c', 'd', 'e']

  it('toggles, selects a range from the last toggled chat either way, and lists in list order', () => {
    const selection = new ChatSelection()
    selection.toggle('d')
    selection.selectRange('b', order)
    expect(selection.inOrder(order)).toEqual(['b', 'c', 'd'])
    selection.toggle('c')
    expect(selection.inOrder(order)).toEqual(['b', 'd'])
    selection.selectRange('e', order)
    expect(selection.inOrder(order)).toEqual(['b', 'c', 'd', 'e'])
  })

  it('drops chats that left the list, and clears', () => {
    const selection = new ChatSelection()
    for (const id of ['a', 'c']) selection.toggle(id)
    selection.retain(['b', 'c'])
    expect(selection.inOrder(order)).toEqual(['c'])
    selection.clear()
    expect(selection.size).toBe(0)
  })
})

describe('which actions take a row off the list on screen', () => {
  it('done and snooze leave the inbox; back to the inbox leaves Done and Snoozed; pins stay', () => {
    expect(leavesView({ kind: 'done' }, 'inbox', null)).toBe(true)
    expect(leavesView({ kind: 'done' }, 'done', null)).toBe(false)
    expect(leavesView({ kind: 'snooze' }, 'snoozed', null)).toBe(false)
    expect(leavesView({ kind: 'snooze' }, 'done', null)).toBe(true)
    expect(leavesView({ kind: 'inbox' }, 'snoozed', null)).toBe(true)
    expect(leavesView({ kind: 'pin' }, 'inbox', null)).toBe(false)
    expect(leavesView({ kind: 'label', labelId: 3, on: false }, 'inbox', 3)).toBe(true)
    expect(leavesView({ kind: 'label', labelId: 3, on: false }, 'inbox', null)).toBe(false)
  })
})
