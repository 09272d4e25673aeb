// Finding a saved reply by a few typed letters: every word of the query must match the title or the
// text, as a word start (best), anywhere inside a word, or as letters in order with gaps ("shpng" finds
// "Shipping"). A match in the title counts double. Ties keep the creator's own order.

export interface Rankable {
  title: string
  text: string
}

const WORD_START = 100
const FIRST_WORD_BONUS = 20
const INSIDE_WORD = 60
const SCATTERED = 30
const SCATTERED_MIN = 5
const TITLE_WEIGHT = 2

/** Lower case without accents, so "creme" finds "Crème". */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

const isWordChar = (char: string | undefined) => char !== undefined && /[\p{L}\p{N}]/u.test(char)

/** How well one query word matches a normalized field; 0 when it does not. */
export function wordScore(word: string, field: string): number {
  let best = 0
  for (let at = field.indexOf(word); at >= 0; at = field.indexOf(word, at + 1)) {
    const score = isWordChar(field[at - 1]) ? INSIDE_WORD : WORD_START + (at === 0 ? FIRST_WORD_BONUS : 0)
    if (score > best) best = score
    if (best >= WORD_START) break
  }
  if (best > 0) return best
  // Letters in order: fewer breaks between them is better.
  let position = 0
  let breaks = 0
  let previous = -2
  for (const char of word) {
    const found = field.indexOf(char, position)
    if (found < 0) return 0
    if (found !== previous + 1) breaks++
    previous = found
    position = found + 1
  }
  return Math.max(SCATTERED_MIN, SCATTERED - 3 * (breaks - 1))
}

const normalizedCache = new WeakMap<object, { title: string; text: string }>()

function normalized(item: Rankable): { title: string; text: string } {
  let cached = normalizedCache.get(item)
  if (!cached) {
    cached = { title: normalizeForSearch(item.title), text: normalizeForSearch(item.text) }
    normalizedCache.set(item, cached)
  }
  return cached
}

/** The items matching `query`, best first (at most `limit`); every item, in order, for an empty query. */
export function rankSavedReplies<T extends Rankable>(items: readonly T[], query: string, limit = Infinity): T[] {
  const words = normalizeForSearch(query).split(/\s+/).filter(Boolean)
  if (words.length === 0) return items.slice(0, limit)
  const scored: { item: T; score: number; index: number }[] = []
  items.forEach((item, index) => {
    const fields = normalized(item)
    let total = 0
    for (const word of words) {
      const score = Math.max(wordScore(word, fields.title) * TITLE_WEIGHT, wordScore(word, fields.text))
      if (score === 0) return
      total += score
    }
    scored.push({ item, score: total, index })
  })
  scored.sort((a, b) => b.score - a.score || a.index - b.index)
  return scored.slice(0, limit).map((entry) => entry.item)
}
