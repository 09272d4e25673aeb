// A loopback HTTP hop between the simulator and the relay's ingest URL that can hold chosen webhook
// deliveries back until released — the network reordering Postproxy deliveries, which it does not
// promise to order. Bodies and headers are forwarded byte for byte (signatures stay valid).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface HeldDelivery {
  eventType: string
  body: Record<string, any>
}

export interface IngestGate {
  /** The gate's URL for an ingest URL of the relay (same path). */
  urlFor(ingestUrl: string): string
  /** Deliveries matching `predicate` wait until `release()`. */
  holdWhen(predicate: (delivery: HeldDelivery) => boolean): void
  /** Resolves once `count` deliveries are being held. */
  untilHolding(count: number, timeoutMs?: number): Promise<void>
  /** Forwards every held delivery (in arrival order) and stops holding. */
  release(): Promise<void>
  close(): Promise<void>
}

export async function startIngestGate(relayUrl: string): Promise<IngestGate> {
  let predicate: ((delivery: HeldDelivery) => boolean) | null = null
  const held: Array<() => Promise<void>> = []
  const holdingListeners = new Set<() => void>()

  const forward = async (request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)) headers[name] = value
    }
    try {
      const upstream = await fetch(relayUrl + request.url, { method: 'POST', headers, body })
      const text = await upstream.text()
      response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text)
    } catch {
      response.writeHead(502).end()
    }
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const body = Buffer.concat(chunks)
      let parsed: Record<string, any> = {}
      try {
        parsed = JSON.parse(body.toString('utf8'))
      } catch {
        // forwarded as is
      }
      const delivery = { eventType: String(request.headers['x-postproxy-event'] ?? ''), body: parsed }
      if (predicate?.(delivery)) {
        held.push(() => forward(request, response, body))
        for (const listener of [...holdingListeners]) listener()
      } else {
        void forward(request, response, body)
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    urlFor: (ingestUrl) => base + new URL(ingestUrl).pathname,
    holdWhen(next) {
      predicate = next
    },
    untilHolding(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (held.length < count) return
          clearTimeout(timer)
          holdingListeners.delete(check)
          resolve()
        }
        const timer = setTimeout(() => {
          holdingListeners.delete(check)
          reject(new Error(`the gate held ${held.length} deliveries, not ${count}, within ${timeoutMs} ms`))
        }, timeoutMs)
        holdingListeners.add(check)
        check()
      })
    },
    async release() {
      predicate = null
      const pending = held.splice(0)
      for (const send of pending) await send()
    },
    async close() {
      predicate = null
      for (const send of held.splice(0)) await send().catch(() => {})
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
