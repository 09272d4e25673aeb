// A small seeded pseudo-random generator (mulberry32), so every scenario is the same for the same
// seed on every machine. Not for anything secret.

/** A 32-bit mixing function (murmur3's finaliser). It is a bijection on 32-bit integers. */
export function mix32(value: number): number {
  let h = value >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Folds any number (fractional, negative, beyond 32 bits) and an optional label into a 32-bit seed. */
export function seedFrom(seed: number, label = ''): number {
  let h = mix32(Math.trunc(seed) ^ Math.trunc(seed / 4294967296))
  for (let i = 0; i < label.length; i++) h = mix32(h ^ label.charCodeAt(i)) + i
  return h >>> 0
}

export class SeededRandom {
  #state: number

  constructor(seed: number, label = '') {
    this.#state = seedFrom(seed, label)
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }
}
