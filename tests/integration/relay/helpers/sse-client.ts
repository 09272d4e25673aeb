// A test-side text/event-stream reader over node:http, independent of the relay's code: it parses frames
// as the WHATWG spec says (fields, multi-line data, comments, CRLF/CR/LF), keeps every frame it saw, and
// lets a test pause reading to play a slow or stalled client.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'

export interface SseFrame {
  /** `event:` (the spec's default, `message`, when absent). */
  event: string
  data: string
  id: string | null
  retry: number | null
}

/** Splits a byte stream into frames; feed it chunks, it returns the frames completed so far. */
export class SseParser {
  #buffer = ''
  #decoder = new TextDecoder('utf-8')
  #frame: { event: string | null; data: string[] | null; id: string | null; retry: number | null } = this.#empty()

  #empty() {
    return { event: null, data: null, id: null, retry: null }
  }

  push(chunk: Uint8Array): SseFrame[] {
    this.#buffer += this.#decoder.decode(chunk, { stream: true })
    const frames: SseFrame[] = []
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer)
      // A lone CR at the end may be the first half of CRLF: wait for more.
      if (!match || (match[0] === '\r' && match.index === this.#buffer.length - 1)) break
      const line = this.#buffer.slice(0, match.index)
      this.#buffer = this.#buffer.slice(match.index + match[0].length)
      if (line === '') {
        const f = this.#frame
        if (f.event !== null || f.data !== null || f.id !== null || f.retry !== null) {
          frames.push({ event: f.event ?? 'message', data: (f.data ?? []).join('\n'), id: f.id, retry: f.retry })
        }
        this.#frame = this.#empty()
        continue
      }
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon === -1 ? line : line.slice(0, colon)
      let value = colon === -1 ? '' : line.slice(colon + 1)
      if (value.startsWith(' ')) value = value.slice(1)
      if (field === 'event') this.#frame.event = value
      else if (field === 'data') (this.#frame.data ??= []).push(value)
      else if (field === 'id') this.#frame.id = value
      else if (field === 'retry' && /^\d+$/.test(value)) this.#frame.retry = Number(value)
    }
    return frames
  }
}

export interface SseConnection {
  status: number
  headers: IncomingHttpHeaders
  /** For a non-200 answer, its body. */
  errorBody: string
  /** Every frame received so far, in order. */
  frames: SseFrame[]
  /** Resolves with the first frame (from `fromIndex` on) matching `predicate`; rejects after `timeoutMs` or when the stream ends. */
  waitFor(predicate: (frame: SseFrame) => boolean, timeoutMs?: number, fromIndex?: number): Promise<SseFrame>
  /** Resolves once `count` frames match `predicate` (counted over all frames so far), with those frames. */
  collect(predicate: (frame: SseFrame) => boolean, count: number, timeoutMs?: number): Promise<SseFrame[]>
  /** Resolves when the server ends or cuts the stream. */
  ended: Promise<void>
  isEnded(): boolean
  pause(): void
  resume(): void
  close(): void
}

export interface OpenSseOptions {
  token?: string
  lastEventId?: string
  /** Called for every received chunk; return a promise to delay reading the next one (a slow reader). */
  onChunk?: (bytes: number) => Promise<void> | void
  /** Start with reading paused (a stalled reader). */
  paused?: boolean
}

const DEFAULT_WAIT_MS = 10_000

export function openSse(url: string, options: OpenSseOptions = {}): Promise<SseConnection> {
  const headers: Record<string, string> = { accept: 'text/event-stream' }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false })
    req.on('error', reject)
    req.on('response', (response: IncomingMessage) => resolve(wrap(response, options)))
    req.end()
  })
}

function wrap(response: IncomingMessage, options: OpenSseOptions): SseConnection {
  const parser = new SseParser()
  const frames: SseFrame[] = []
  const listeners = new Set<() => void>()
  let ended = false
  let errorBody = ''
  let endedResolve: () => void = () => {}
  const endedPromise = new Promise<void>((resolve) => (endedResolve = resolve))
  const notify = (): void => {
    for (const listener of [...listeners]) listener()
  }
  const finish = (): void => {
    if (ended) return
    ended = true
    endedResolve()
    notify()
  }
  const status = response.statusCode ?? 0
  response.on('data', (chunk: Buffer) => {
    if (status !== 200) {
      errorBody += chunk.toString('utf8')
      return
    }
    frames.push(...parser.push(chunk))
    notify()
    const delay = options.onChunk?.(chunk.length)
    if (delay) {
      response.pause()
      void delay.then(() => response.resume())
    }
  })
  response.on('end', finish)
  response.on('close', finish)
  response.on('error', finish)
  if (options.paused) response.pause()

  const waitUntil = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        const value = check()
        if (value !== undefined) {
          cleanup()
          resolve(value)
          return true
        }
        if (ended) {
          cleanup()
          reject(new Error(`the stream ended before ${what} (${frames.length} frames received)`))
          return true
        }
        return false
      }
      const timer = setTimeout(() => {
        cleanup()
        reject(new Error(`${what} did not arrive within ${timeoutMs} ms (${frames.length} frames received)`))
      }, timeoutMs)
      const listener = (): void => void attempt()
      const cleanup = (): void => {
        clearTimeout(timer)
        listeners.delete(listener)
      }
      listeners.add(listener)
      attempt()
    })

  return {
    status,
    headers: response.headers,
    get errorBody() {
      return errorBody
    },
    frames,
    waitFor(predicate, timeoutMs = DEFAULT_WAIT_MS, fromIndex = 0) {
      return waitUntil(() => frames.slice(fromIndex).find(predicate), timeoutMs, 'the expected frame')
    },
    collect(predicate, count, timeoutMs = DEFAULT_WAIT_MS) {
      return waitUntil(
        () => {
          const matching = frames.filter(predicate)
          return matching.length >= count ? matching.slice(0, count) : undefined
        },
        timeoutMs,
        `${count} matching frames`
      )
    },
    ended: endedPromise,
    isEnded: () => ended,
    pause: () => response.pause(),
    resume: () => response.resume(),
    close: () => response.destroy()
  }
}

export interface WebhookFrame {
  v: number
  seq: number
  channel: string
  received_at: string
  headers: Array<[string, string]>
  body_b64: string
  body_sha256: string
}

export const isWebhook = (frame: SseFrame): boolean => frame.event === 'webhook'

export function webhookData(frame: SseFrame): WebhookFrame {
  return JSON.parse(frame.data) as WebhookFrame
}
