// A search snippet split into plain and highlighted pieces from its [start, end) ranges, so the UI
// renders matches as text elements: the snippet itself is never treated as HTML.

export interface TextPiece {
  text: string
  highlighted: boolean
}

export function highlightPieces(text: string, ranges: readonly (readonly [number, number])[]): TextPiece[] {
  const sorted = ranges
    .map(([start, end]) => [Math.max(0, Math.min(start, text.length)), Math.max(0, Math.min(end, text.length))] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0])
  const pieces: TextPiece[] = []
  let cursor = 0
  for (const [start, end] of sorted) {
    if (end <= cursor) continue
    const from = Math.max(start, cursor)
    if (from > cursor) pieces.push({ text: text.slice(cursor, from), highlighted: false })
    pieces.push({ text: text.slice(from, end), highlighted: true })
    cursor = end
  }
  if (cursor < text.length) pieces.push({ text: text.slice(cursor), highlighted: false })
  return pieces
}
