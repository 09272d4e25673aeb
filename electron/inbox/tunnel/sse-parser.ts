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

export interface SseEvent {
  /** `event:` field, `message` when absent. */
  type: string
  data: string
  /** The last event id in force when this event was dispatched ('' before any `id:`). */
  lastEventId: string
}

const LF = 0x0a
const CR = 0x0d

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8')
  /** Decoded text not yet split into complete lines. */
  private pending = ''
  /** The previous chunk ended with CR: an LF starting the next one belongs to it. */
  private skipNextLf = false
  private atStreamStart = true
  private dataLines: string[] = []
  private hasData = false
  private eventType = ''
  private lastEventIdBuffer = ''
  private currentLastEventId = ''
  private reconnectionTimeMs: number | null = null

  /** The last event id the stream set (what a reconnect would send as Last-Event-ID). */
  get lastEventId(): string {
    return this.currentLastEventId
  }

  /** The latest `retry:` value, in ms, or null when the stream never sent one. */
  get retryMs(): number | null {
    return this.reconnectionTimeMs
  }

  /** Feeds one chunk of bytes; returns the events it completed, in order. */
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
    // Scanning only the new text keeps a megabyte-long data line received in small chunks linear.
    let lineStart = start
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i)
      if (code !== LF && code !== CR) continue
      const line = this.pending + text.slice(lineStart, i)
      this.pending = ''
      if (code === CR) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === LF) i++
        } else {
          this.skipNextLf = true
        }
      }
      lineStart = i + 1
      const event = this.line(line)
      if (event) events.push(event)
    }
    if (lineStart < text.length) this.pending += text.slice(lineStart)
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
    this.hasData = false
    this.eventType = ''
  }
}
