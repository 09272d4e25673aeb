// Turning what a person types into a safe FTS5 query, and finding what to highlight in the results.
// User text never reaches FTS5 syntax: it is cut into letter/digit tokens, each quoted and made a prefix,
// so quotes, AND/OR/NOT, NEAR, column filters, `*` or `^` in the input are just characters.

const TOKEN = /[\p{L}\p{N}\p{M}]+/gu
const MAX_TOKENS = 8
const MAX_TOKEN_LENGTH = 64

/** Case- and accent-insensitive form, matching the index's `unicode61 remove_diacritics 2`. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/** The distinct search tokens of the input (folded), in order; empty when there is nothing to search for. */
export function searchTokens(input: string): string[] {
  const tokens: string[] = []
  for (const match of input.normalize('NFKC').matchAll(TOKEN)) {
    const token = foldForSearch(match[0]).slice(0, MAX_TOKEN_LENGTH)
    if (token !== '' && !tokens.includes(token)) tokens.push(token)
    if (tokens.length === MAX_TOKENS) break
  }
  return tokens
}

/** Every token must match the start of some word: `"ship"* "intern"*`. Null when there is nothing to search. */
export function ftsPrefixQuery(input: string): string | null {
  const tokens = searchTokens(input)
  if (tokens.length === 0) return null
  // Tokens hold only letters, digits and marks, so they cannot contain a double quote.
  return tokens.map((token) => `"${token}"*`).join(' ')
}

/** [start, end) character ranges into the shown text. */
export type Highlight = readonly [start: number, end: number]

export type Snippet = {
  /** Plain text (render as text, never as HTML); "…" marks where it was cut. */
  text: string
  highlights: Highlight[]
}

/** Ranges of the words in `text` that start with one of the tokens. */
export function highlightRanges(text: string, tokens: readonly string[]): Highlight[] {
  const ranges: Highlight[] = []
  if (tokens.length === 0) return ranges
  for (const match of text.matchAll(TOKEN)) {
    const word = foldForSearch(match[0])
    const token = tokens.find((t) => word.startsWith(t))
    if (token === undefined) continue
    const start = match.index
    // Highlight the typed prefix, mapped back onto the original (possibly accented) characters.
    ranges.push([start, start + originalLength(match[0], token.length)])
  }
  return ranges
}

/** A window of about `width` characters around the first match. */
export function buildSnippet(text: string, tokens: readonly string[], width = 120): Snippet {
  const all = highlightRanges(text, tokens)
  if (text.length <= width) return { text, highlights: all }
  const first = all[0]?.[0] ?? 0
  let start = Math.max(0, first - Math.floor(width / 3))
  let end = Math.min(text.length, start + width)
  start = Math.max(0, end - width)
  // Do not cut through a word at either end.
  while (start > 0 && /[\p{L}\p{N}]/u.test(text[start - 1]) && first - start < width / 2) start--
  while (end < text.length && /[\p{L}\p{N}]/u.test(text[end]) && end - start < width + 20) end++
  const prefix = start > 0 ? '…' : ''
  const suffix = end < text.length ? '…' : ''
  const shift = prefix.length - start
  return {
    text: prefix + text.slice(start, end) + suffix,
    highlights: all.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s + shift, e + shift] as const)
  }
}

/** How many characters of `word` it takes to cover `foldedLength` folded characters. */
function originalLength(word: string, foldedLength: number): number {
  let folded = 0
  let index = 0
  for (const char of word) {
    if (folded >= foldedLength) break
    folded += foldForSearch(char).length
    index += char.length
  }
  return index
}
