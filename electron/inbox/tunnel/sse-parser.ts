// An incremental text/event-stream parser, as the WHATWG HTML standard specifies it ("Interpreting an event
// stream"), fed with the raw byte chunks of a fetch body. We parse ourselves instead of using EventSource
// because EventSource gives up for good on any non-200 answer and cannot send an Authorization header.
//
// What the standard asks, and what this does:
// - UTF-8 decoding across chunk boundaries; one leading byte-order mark is dropped.
// - Lines end with CRLF, LF or CR — a CR at the end of a chunk ends the line at once, and an LF that
//   starts the next chunk is then recognised as the second half of that CRLF.
// - `:` lines are comments; a line without a colon is a field with an empty value; one space after the
//   colon is removed.
// - `data` lines accumulate (joined by LF); `event` sets the type (default `message`); `id` sets the last
//   event id (ignored when it contains NUL) and is kept for the following events; `retry` takes digits only.
// - A blank line dispatches; with no data it dispatches nothing (but the last event id is still taken).
// - An incomplete event at the end of the stream is discarded.
//
// Not in the standard, which puts no bound on a line: a size cap (issue #12.9). A server that sends a line
// without end would otherwise grow `pending` until the process runs out of memory. The largest legitimate
// frame is a relay `webhook` frame — a body of at most 1 MiB, base64'd (4/3), plus its headers and JSON —
// about 1.4 MiB; the default cap of 2 MiB per line and per event leaves room for that and nothing more.
// Past it `push` throws SseSizeLimitError: the connection is dropped (and retried), not the process.

export interface SseEvent {
  /** `event:` field, `message` when absent. */
  type: string
  data: string
  /** The last event id in force when this event was dispatched ('' before any `id:`). */
  lastEventId: string
}

const LF = 0x0a
const CR = 0x0d

/** Characters in one line, and in the data of one event (see the header). */
export const DEFAULT_MAX_SSE_LINE = 2 * 1024 * 1024
export const DEFAULT_MAX_SSE_EVENT = 2 * 1024 * 1024

export interface SseParserOptions {
  maxLineLength?: number
  maxEventLength?: number
}

/** The stream sent a line or an event larger than the parser accepts; what was buffered is dropped. */
export class SseSizeLimitError extends Error {
  readonly what: 'line' | 'event'
  readonly limit: number

  constructor(what: 'line' | 'event', limit: number) {
    super(`the event stream sent ${what === 'line' ? 'a line' : 'an event'} longer than ${limit} characters`)
    this.name = 'SseSizeLimitError'
    this.what = what
    this.limit = limit
  }
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8')
  private readonly maxLineLength: number
  private readonly maxEventLength: number
  /** Decoded text not yet split into complete lines. */
  private pending = ''
  /** The previous chunk ended with CR: an LF starting the next one belongs to it. */
  private skipNextLf = false
  private atStreamStart = true
  private dataLines: string[] = []
  /** Characters of data (with the LFs that join them) in the event being read. */
  private dataLength = 0
  private hasData = false
  private eventType = ''
  private lastEventIdBuffer = ''
  private currentLastEventId = ''
  private reconnectionTimeMs: number | null = null

  constructor(options: SseParserOptions = {}) {
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_SSE_LINE
    this.maxEventLength = options.maxEventLength ?? DEFAULT_MAX_SSE_EVENT
  }

  /** The last event id the stream set (what a reconnect would send as Last-Event-ID). */
  get lastEventId(): string {
    return this.currentLastEventId
  }

  /** The latest `retry:` value, in ms, or null when the stream never sent one. */
  get retryMs(): number | null {
    return this.reconnectionTimeMs
  }

  /**
   * Feeds one chunk of bytes; returns the events it completed, in order. Throws SseSizeLimitError when a
   * line or an event outgrows the cap; the parser is then spent (start a new one with a new connection).
   */
  push(chunk: Uint8Array | string): SseEvent[] {
    let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true })
    if (this.atStreamStart && text.length > 0) {
      this.atStreamStart = false
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    return this.consume(text)
  }

  /** The stream ended: a partial line or event is discarded, as the standard says. */
  end(): SseEvent[] {
    this.decoder.decode()
    this.pending = ''
    this.resetEvent()
    return []
  }

  private consume(text: string): SseEvent[] {
    const events: SseEvent[] = []
    let start = 0
    if (this.skipNextLf && text.length > 0) {
      this.skipNextLf = false
      if (text.charCodeAt(0) === LF) start = 1
    }
    // Line ends are found with indexOf (native), not char by char: a catch-up streams megabytes. Scanning
    // only the new text keeps a megabyte-long data line received in small chunks linear.
    let lineStart = start
    let nextLf = text.indexOf('\n', start)
    let nextCr = text.indexOf('\r', start)
    while (nextLf !== -1 || nextCr !== -1) {
      const i = nextCr === -1 || (nextLf !== -1 && nextLf < nextCr) ? nextLf : nextCr
      if (this.pending.length + (i - lineStart) > this.maxLineLength) this.overflow('line')
      const line = this.pending + text.slice(lineStart, i)
      this.pending = ''
      let end = i
      if (text.charCodeAt(i) === CR) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === LF) end = i + 1
        } else {
          this.skipNextLf = true
        }
      }
      lineStart = end + 1
      if (nextLf !== -1 && nextLf < lineStart) nextLf = text.indexOf('\n', lineStart)
      if (nextCr !== -1 && nextCr < lineStart) nextCr = text.indexOf('\r', lineStart)
      const event = this.line(line)
      if (event) events.push(event)
    }
    if (lineStart < text.length) {
      // Checked before appending: an endless line never holds more than the cap plus one chunk.
      if (this.pending.length + (text.length - lineStart) > this.maxLineLength) this.overflow('line')
      this.pending += text.slice(lineStart)
    }
    return events
  }

  private line(line: string): SseEvent | null {
    if (line === '') return this.dispatch()
    if (line.charCodeAt(0) === 0x3a /* : */) return null
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.charCodeAt(0) === 0x20) value = value.slice(1)
    switch (field) {
      case 'event':
        this.eventType = value
        break
      case 'data':
        this.dataLength += value.length + (this.hasData ? 1 : 0)
        if (this.dataLength > this.maxEventLength) this.overflow('event')
        this.dataLines.push(value)
        this.hasData = true
        break
      case 'id':
        if (!value.includes('\0')) this.lastEventIdBuffer = value
        break
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.reconnectionTimeMs = Number(value)
        break
      default:
        // Unknown fields are ignored.
        break
    }
    return null
  }

  private dispatch(): SseEvent | null {
    this.currentLastEventId = this.lastEventIdBuffer
    if (!this.hasData) {
      this.resetEvent()
      return null
    }
    const event: SseEvent = { type: this.eventType === '' ? 'message' : this.eventType, data: this.dataLines.join('\n'), lastEventId: this.currentLastEventId }
    this.resetEvent()
    return event
  }

  private resetEvent(): void {
    this.dataLines = []
    this.dataLength = 0
    this.hasData = false
    this.eventType = ''
  }

  private overflow(what: 'line' | 'event'): never {
    this.pending = ''
    this.resetEvent()
    throw new SseSizeLimitError(what, what === 'line' ? this.maxLineLength : this.maxEventLength)
  }
}
