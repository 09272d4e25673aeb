// The tunnel's text/event-stream parser against the WHATWG rules, fed the way a network feeds it: in
// chunks that split lines, CRLF pairs and UTF-8 sequences anywhere. (A unit test; it lives with the tunnel
// tests because that is the directory this component's tests own.)
import { describe, expect, it } from 'vitest'
import { DEFAULT_MAX_SSE_LINE, SseParser, SseSizeLimitError, type SseEvent } from '../../../electron/inbox/tunnel/sse-parser.ts'
import { DEFAULT_BODY_LIMIT_BYTES } from '../../../relay/options.ts'
import { gapFrame, heartbeatFrame, retryFrame, webhookFrame } from '../../../relay/sse-frames.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

function parseWhole(input: string | Uint8Array): { events: SseEvent[]; parser: SseParser } {
  const parser = new SseParser()
  const events = parser.push(typeof input === 'string' ? bytes(input) : input)
  return { events, parser }
}

/** Feeds `input` split at the given byte offsets. */
function parseSplit(input: Uint8Array, cuts: number[]): SseEvent[] {
  const parser = new SseParser()
  const events: SseEvent[] = []
  let start = 0
  for (const cut of [...cuts.filter((c) => c > 0 && c < input.length).sort((a, b) => a - b), input.length]) {
    events.push(...parser.push(input.subarray(start, cut)))
    start = cut
  }
  return events
}

describe('SseParser', () => {
  it('reads id, event and data, with the default type "message"', () => {
    const { events, parser } = parseWhole('id: 7\nevent: webhook\ndata: {"a":1}\n\ndata: plain\n\n')
    expect(events).toEqual([
      { type: 'webhook', data: '{"a":1}', lastEventId: '7' },
      { type: 'message', data: 'plain', lastEventId: '7' }
    ])
    expect(parser.lastEventId).toBe('7')
  })

  it('joins multi-line data with LF and drops only one leading space', () => {
    const { events } = parseWhole('data: first\ndata:  second\ndata:third\ndata\n\n')
    expect(events).toEqual([{ type: 'message', data: 'first\n second\nthird\n', lastEventId: '' }])
  })

  it('ignores comments, unknown fields and a field whose value is missing its colon', () => {
    const { events } = parseWhole(': a comment\nfoo: bar\n:another\ndata: x\nevent\n\n')
    // `event` without a colon sets an empty type, which dispatches as "message".
    expect(events).toEqual([{ type: 'message', data: 'x', lastEventId: '' }])
  })

  it('accepts LF, CRLF and CR line endings, mixed', () => {
    const { events } = parseWhole('data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: d\r\ndata: e\r\n\n')
    expect(events.map((e) => e.data)).toEqual(['a', 'b', 'c', 'd\ne'])
  })

  it('treats a CR at the end of a chunk and an LF at the start of the next as one line break', () => {
    const input = bytes('data: a\r\n\r\ndata: b\r\n\r\n')
    // Every cut between a CR and its LF.
    const crlfCuts = [...input.keys()].filter((i) => input[i - 1] === 0x0d && input[i] === 0x0a)
    expect(crlfCuts.length).toBe(4)
    for (const cut of crlfCuts) expect(parseSplit(input, [cut]).map((e) => e.data), `cut at ${cut}`).toEqual(['a', 'b'])
    expect(parseSplit(input, crlfCuts).map((e) => e.data)).toEqual(['a', 'b'])
  })

  it('drops one byte-order mark at the start of the stream, even split across chunks, and no other', () => {
    const input = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('data: x\n\n'), 0xef, 0xbb, 0xbf, ...bytes('data: y\n\n')])
    for (const cut of [1, 2, 3]) {
      // The second BOM is part of the line's field name ("\uFEFFdata"), an unknown field: ignored.
      expect(parseSplit(input, [cut]).map((e) => e.data)).toEqual(['x'])
    }
    expect(parseWhole(bytes('\uFEFFdata: \uFEFFz\n\n')).events[0].data).toBe('\uFEFFz')
  })

  it('decodes UTF-8 split anywhere, byte by byte', () => {
    const text = 'data: café 🎉 日本語 \\u00e9\n\n'
    const input = bytes(text)
    const events = parseSplit(input, [...input.keys()])
    expect(events).toEqual([{ type: 'message', data: 'café 🎉 日本語 \\u00e9', lastEventId: '' }])
  })

  it('keeps the last event id for later events, resets it with an empty id, ignores one containing NUL', () => {
    const { events } = parseWhole('id: 1\ndata: a\n\ndata: b\n\nid: 2\u0000x\ndata: c\n\nid\ndata: d\n\n')
    expect(events.map((e) => [e.data, e.lastEventId])).toEqual([
      ['a', '1'],
      ['b', '1'],
      ['c', '1'],
      ['d', '']
    ])
  })

  it('takes an id from a block without data (no event is dispatched)', () => {
    const { events, parser } = parseWhole('id: 41\n\n')
    expect(events).toEqual([])
    expect(parser.lastEventId).toBe('41')
  })

  it('takes retry only when it is all digits', () => {
    const parser = new SseParser()
    parser.push(bytes('retry: 5000\n\n'))
    expect(parser.retryMs).toBe(5000)
    parser.push(bytes('retry: 12a\n\nretry: -1\n\nretry:\n\n'))
    expect(parser.retryMs).toBe(5000)
    parser.push(bytes('retry:250\n\n'))
    expect(parser.retryMs).toBe(250)
  })

  it('does not dispatch an event that the stream ends in the middle of', () => {
    const parser = new SseParser()
    expect(parser.push(bytes('data: complete\n\ndata: cut off\n'))).toHaveLength(1)
    expect(parser.end()).toEqual([])
    // A later stream through the same parser would not see the partial event either.
    expect(parser.push(bytes('\n'))).toEqual([])
  })

  it('parses the relay frames byte-exactly, whatever the chunking', () => {
    const body = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'message.received', data: { text: 'héllo 👋' } }))
    const stream =
      retryFrame(5000) +
      webhookFrame({
        seq: 1842,
        channelId: 'ch_1',
        receivedAt: Date.parse('2026-09-01T10:00:00.123Z'),
        headersJson: JSON.stringify([['x-postproxy-signature', 't=1,v1=ab']]),
        body,
        bodySha256: 'f'.repeat(64)
      }) +
      gapFrame({ after: 1200, oldest: 1500, reason: 'evicted' }) +
      heartbeatFrame(1842)
    const input = bytes(stream)
    let seed = 99
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const whole = parseWhole(input).events
    expect(whole.map((e) => e.type)).toEqual(['webhook', 'gap', 'heartbeat'])
    expect(whole[0].lastEventId).toBe('1842')
    expect(JSON.parse(whole[0].data)).toEqual({
      v: 1,
      seq: 1842,
      channel: 'ch_1',
      received_at: '2026-09-01T10:00:00.123Z',
      headers: [['x-postproxy-signature', 't=1,v1=ab']],
      body_b64: body.toString('base64'),
      body_sha256: 'f'.repeat(64)
    })
    // The heartbeat has no id line: it keeps the webhook's id.
    expect(whole[2].lastEventId).toBe('1842')
    for (let round = 0; round < 50; round++) {
      const cuts = Array.from({ length: 1 + Math.floor(random() * 30) }, () => Math.floor(random() * input.length))
      expect(parseSplit(input, cuts)).toEqual(whole)
    }
  })

  it('stays linear on a megabyte-long data line arriving in small chunks', () => {
    const payload = 'x'.repeat(DEFAULT_MAX_SSE_LINE - 'data: '.length)
    const input = bytes(`data: ${payload}\n\n`)
    const parser = new SseParser()
    const events: SseEvent[] = []
    const started = performance.now()
    for (let offset = 0; offset < input.length; offset += 16 * 1024) events.push(...parser.push(input.subarray(offset, offset + 16 * 1024)))
    expect(events).toHaveLength(1)
    expect(events[0].data.length).toBe(payload.length)
    expect(performance.now() - started).toBeLessThan(2000)
  })
})

// Issue #12.9: without a cap, a line that never ends grows the buffer until the process runs out of memory.
describe('SseParser size cap', () => {
  /** Feeds `chunk` until the parser throws; returns the error and how many characters it took in. */
  function feedUntilRefused(parser: SseParser, first: string, chunk: string, maxChunks: number): { error: unknown; fed: number } {
    let fed = 0
    try {
      parser.push(bytes(first))
      fed += first.length
      for (let i = 0; i < maxChunks; i++) {
        parser.push(bytes(chunk))
        fed += chunk.length
      }
    } catch (error) {
      return { error, fed }
    }
    return { error: null, fed }
  }

  it('lets the largest legitimate frame through: a 1 MiB body, base64, with 16 KiB of headers, in network-sized chunks', () => {
    const body = Buffer.alloc(DEFAULT_BODY_LIMIT_BYTES, 0xff)
    const headers: Array<[string, string]> = Array.from({ length: 16 }, (_, i) => [`x-padding-${i}`, 'h'.repeat(1000)])
    const frame = webhookFrame({ seq: 9, channelId: 'ch_1', receivedAt: Date.now(), headersJson: JSON.stringify(headers), body, bodySha256: 'a'.repeat(64) })
    expect(frame.length).toBeGreaterThan((DEFAULT_BODY_LIMIT_BYTES * 4) / 3)
    const input = bytes(frame)
    const parser = new SseParser()
    const events: SseEvent[] = []
    for (let offset = 0; offset < input.length; offset += 64 * 1024) events.push(...parser.push(input.subarray(offset, offset + 64 * 1024)))
    expect(events).toHaveLength(1)
    expect(Buffer.from(JSON.parse(events[0].data).body_b64, 'base64').equals(body)).toBe(true)
  })

  it('refuses a line that never ends once it passes the cap, holding no more than the cap plus one chunk', () => {
    const chunk = 'x'.repeat(64 * 1024)
    const { error, fed } = feedUntilRefused(new SseParser(), 'data: ', chunk, 1000)
    expect(error).toBeInstanceOf(SseSizeLimitError)
    expect(error).toMatchObject({ what: 'line', limit: DEFAULT_MAX_SSE_LINE })
    expect(fed).toBeLessThanOrEqual(DEFAULT_MAX_SSE_LINE + chunk.length)
  })

  it('refuses an event whose data lines add up past the cap, even when each line is short', () => {
    const { error } = feedUntilRefused(new SseParser({ maxEventLength: 1000 }), 'event: webhook\n', `data: ${'y'.repeat(90)}\n`, 20)
    expect(error).toMatchObject({ name: 'SseSizeLimitError', what: 'event', limit: 1000 })
  })

  it('counts exactly: a line at the cap passes, one character more does not, however it is chunked', () => {
    const atCap = `data: ${'z'.repeat(94)}`
    expect(atCap.length).toBe(100)
    expect(new SseParser({ maxLineLength: 100 }).push(bytes(`${atCap}\n\n`))).toEqual([{ type: 'message', data: 'z'.repeat(94), lastEventId: '' }])
    expect(parseSplit(bytes(`${atCap}\n\n`), [7, 50, 99, 100])).toHaveLength(1)
    expect(() => new SseParser({ maxLineLength: 100 }).push(bytes(`${atCap}z\n\n`))).toThrow(SseSizeLimitError)
    const split = new SseParser({ maxLineLength: 100 })
    split.push(bytes(atCap.slice(0, 60)))
    expect(() => split.push(bytes(`${atCap.slice(60)}z`))).toThrow(SseSizeLimitError)
  })
})
