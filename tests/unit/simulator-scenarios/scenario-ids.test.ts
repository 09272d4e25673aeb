import { describe, expect, it } from 'vitest'
import { SeededRandom } from '../../../simulator/scenarios/prng.ts'
import { ScenarioIds } from '../../../simulator/scenarios/scenario-ids.ts'

describe('the seeded random generator', () => {
  it('repeats exactly for a seed, differs between seeds and labels, and stays in range', () => {
    const draw = (seed: number, label?: string) => {
      const random = new SeededRandom(seed, label)
      return Array.from({ length: 50 }, () => random.next())
    }
    expect(draw(1)).toEqual(draw(1))
    expect(draw(1)).not.toEqual(draw(2))
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'))
    expect(draw(2 ** 40 + 3)).not.toEqual(draw(3))
    const random = new SeededRandom(99)
    const values = Array.from({ length: 10_000 }, () => random.next())
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...values)).toBeLessThan(1)
    const mean = values.reduce((a, b) => a + b, 0) / values.length
    expect(mean).toBeGreaterThan(0.47)
    expect(mean).toBeLessThan(0.53)
    const ints = new Set(Array.from({ length: 1000 }, () => random.int(1, 6)))
    expect(ints).toEqual(new Set([1, 2, 3, 4, 5, 6]))
  })
})

describe('scenario ids', () => {
  it('are unique, prefixed, and the same for the same seed', () => {
    const a = new ScenarioIds(5)
    const b = new ScenarioIds(5)
    const c = new ScenarioIds(6)
    const fromA = Array.from({ length: 200_000 }, () => a.next('msg'))
    expect(new Set(fromA).size).toBe(fromA.length)
    expect(fromA.every((id) => /^msg_[a-z0-9]{14}$/.test(id))).toBe(true)
    expect(Array.from({ length: 5 }, () => b.next('msg'))).toEqual(fromA.slice(0, 5))
    expect(c.next('msg')).not.toBe(fromA[0])
    expect(a.metaMessageId()).toMatch(/^mid\.[a-z0-9]{21}$/)
    expect(a.participantId()).toMatch(/^igsid_\d{16}$/)
    expect(a.conversationId()).toMatch(/^t_[a-z0-9]{14}$/)
    expect(a.next('chat')).toMatch(/^chat_/)
  })

  it('mint Instagram-like comment and media ids and permalink codes, unique within a generator', () => {
    const ids = new ScenarioIds(5)
    const comments = Array.from({ length: 20_000 }, () => ids.instagramCommentId())
    const media = Array.from({ length: 2_000 }, () => ids.instagramMediaId())
    const codes = Array.from({ length: 20_000 }, () => ids.shortcode())
    expect(new Set(comments).size).toBe(comments.length)
    expect(new Set(codes).size).toBe(codes.length)
    expect(comments.every((id) => /^178\d{14}$/.test(id))).toBe(true)
    expect(media.every((id) => /^179\d{14}$/.test(id))).toBe(true)
    expect(codes.every((code) => /^[a-z0-9]{11}$/.test(code))).toBe(true)
    expect(new ScenarioIds(5).instagramCommentId()).toBe(comments[0])
  })
})
