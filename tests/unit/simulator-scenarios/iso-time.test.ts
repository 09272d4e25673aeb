import { describe, expect, it } from 'vitest'
import { IsoTimeFormatter } from '../../../simulator/scenarios/iso-time.ts'
import { SeededRandom } from '../../../simulator/scenarios/prng.ts'

describe('the fast ISO formatter', () => {
  it('writes exactly what Date#toISOString writes', () => {
    const formatter = new IsoTimeFormatter()
    const random = new SeededRandom(3)
    const samples = [0, -1, 86_399_999, 86_400_000, Date.parse('2026-12-31T23:59:59.999Z'), Date.parse('2024-02-29T12:00:00.000Z'), -5e11]
    for (let i = 0; i < 20_000; i++) samples.push(Math.floor(random.between(-1e12, 4e12)))
    // In order and out of order, so the cached day is both reused and replaced.
    for (const ms of [...samples, ...[...samples].sort((a, b) => a - b)]) expect(formatter.format(ms)).toBe(new Date(ms).toISOString())
  })
})
