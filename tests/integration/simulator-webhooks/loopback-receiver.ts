// A real HTTP webhook receiver on 127.0.0.1 (port 0) that records exactly what crossed the wire:
// headers, raw body bytes and when each request arrived, and answers by a per-request plan.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  rawBody: Buffer
  /** performance.now() when the body had fully arrived. */
  arrivedAt: number
}

/** A status to answer with, or 'hang' to never answer (until the receiver closes). */
export type ReceiverAnswer = number | 'hang'

export interface LoopbackReceiver {
  url: string
  requests: ReceivedRequest[]
  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>
  close(): Promise<void>
}

export async function startLoopbackReceiver(answer: (index: number) => ReceiverAnswer = () => 200): Promise<LoopbackReceiver> {
  const requests: ReceivedRequest[] = []
  const hanging = new Set<ServerResponse>()
  const listeners = new Set<() => void>()

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const index = requests.length
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
        arrivedAt: performance.now()
      })
      for (const listener of listeners) listener()
      const planned = answer(index)
      if (planned === 'hang') {
        hanging.add(res)
        return
      }
      res.writeHead(planned, { 'content-type': 'text/plain' })
      res.end(planned >= 200 && planned < 300 ? 'ok' : 'nope')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/hooks/postproxy`,
    requests,
    waitForRequests(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (requests.length < count) return false
          clearTimeout(timer)
          listeners.delete(onRequest)
          resolve(requests.slice(0, count))
          return true
        }
        const onRequest = (): void => void check()
        const timer = setTimeout(() => {
          listeners.delete(onRequest)
          reject(new Error(`expected ${count} webhook requests, got ${requests.length} within ${timeoutMs} ms`))
        }, timeoutMs)
        listeners.add(onRequest)
        check()
      })
    },
    async close() {
      for (const res of hanging) res.destroy()
      hanging.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** A clock whose time only moves when the test says so. */
export function fakeClock(startIso: string): { now(): number; set(iso: string): void; advance(ms: number): void } {
  let current = Date.parse(startIso)
  return {
    now: () => current,
    set: (iso) => {
      current = Date.parse(iso)
    },
    advance: (ms) => {
      current += ms
    }
  }
}
