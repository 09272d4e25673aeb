import { describe, expect, it } from 'vitest'
import { buildSnippet, highlightRanges, searchTokens } from '../../../electron/inbox/store/search-query.ts'
import { loadHighlightSpans, type TextPiece } from './renderer-modules.ts'

const { highlightPieces } = await loadHighlightSpans()

/** A lone surrogate: with the `u` flag a well-formed pair is one code point, so only halves match. */
const LONE_SURROGATE = /\p{Cs}/u

function highlightedIndices(pieces: TextPiece[]): number[] {
  const indices: number[] = []
  let at = 0
  for (const piece of pieces) {
    if (piece.highlighted) for (let i = 0; i < piece.text.length; i++) indices.push(at + i)
    at += piece.text.length
  }
  return indices
}

describe('highlightPieces', () => {
  it('splits a snippet into plain and highlighted pieces in order', () => {
    expect(highlightPieces('Ship the intern box today', [[9, 15]])).toEqual([
      { text: 'Ship the ', highlighted: false },
      { text: 'intern', highlighted: true },
      { text: ' box today', highlighted: false }
    ])
    expect(highlightPieces('ship it', [[0, 4]])).toEqual([
      { text: 'ship', highlighted: true },
      { text: ' it', highlighted: false }
    ])
  })

  it('returns the whole text as one plain piece without ranges, and nothing for empty text', () => {
    expect(highlightPieces('no matches here', [])).toEqual([{ text: 'no matches here', highlighted: false }])
    expect(highlightPieces('', [[0, 3]])).toEqual([])
  })

  it('sorts ranges and never highlights a character twice when ranges overlap', () => {
    const text = 'abcdefghijkl'
    const pieces = highlightPieces(text, [
      [5, 9],
      [0, 3],
      [2, 6]
    ])
    expect(pieces.map((p) => p.text).join('')).toBe(text)
    expect(highlightedIndices(pieces)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
    expect(pieces.every((p) => p.text.length > 0)).toBe(true)
  })

  it('clamps ranges to the text and drops empty or inverted ones', () => {
    const pieces = highlightPieces('hello world', [
      [-4, 2],
      [6, 999],
      [4, 4],
      [8, 3]
    ])
    expect(pieces).toEqual([
      { text: 'he', highlighted: true },
      { text: 'llo ', highlighted: false },
      { text: 'world', highlighted: true }
    ])
  })

  it('keeps emoji and astral letters whole around the ranges the search index produces', () => {
    const text = '𝓙ane sent 🚢🚢 shipping 𠀀𠀁 docs 😀 ship'
    const ranges = highlightRanges(text, searchTokens('ship 𠀀'))
    // The store finds "shipping", "𠀀𠀁" and "ship": 3 words, all starting after an astral character.
    expect(ranges).toHaveLength(3)
    const pieces = highlightPieces(text, ranges)
    expect(pieces.map((p) => p.text).join('')).toBe(text)
    expect(pieces.filter((p) => p.highlighted).map((p) => p.text)).toEqual(['ship', '𠀀', 'ship'])
    for (const piece of pieces) expect(piece.text).not.toMatch(LONE_SURROGATE)
  })

  it('renders a cut snippet of a long message with its shifted highlights', () => {
    const message = `${'Lorem ipsum dolor sit amet 🌸 '.repeat(10)}the parcel shipped today ${'consectetur adipiscing 🌿 '.repeat(10)}`
    const snippet = buildSnippet(message, searchTokens('shipped'))
    const pieces = highlightPieces(snippet.text, snippet.highlights)
    expect(pieces.map((p) => p.text).join('')).toBe(snippet.text)
    expect(pieces.filter((p) => p.highlighted).map((p) => p.text)).toEqual(['shipped'])
  })
})
