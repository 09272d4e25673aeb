// fetch() for the event stream, over node:http(s). The runtime's fetch (undici) keeps a 500 ms timer
// ticking for as long as any of its connections has a timeout armed — and a stream that stays open all
// day always has one — so an inbox left open and idle would wake up twice a second for nothing. This
// answers with a standard Response whose body is the socket's stream: the SSE loop reads it the same way.
// Redirects are not followed (the tunnel asks for `redirect: 'error'` anyway: a redirect is an error).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { Readable } from 'node:stream'

function responseHeaders(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item)
    else if (value !== undefined) headers.set(name, value)
  }
  return headers
}

export function streamFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new TypeError(`cannot stream from ${url.protocol} URLs`))
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  const headers = Object.fromEntries(new Headers(init.headers).entries())
  return new Promise((resolve, reject) => {
    const request = send(url, { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined }, (incoming) => {
      const status = incoming.statusCode ?? 0
      const body = status === 204 || status === 304 || init.method === 'HEAD' ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>)
      if (body === null) incoming.resume()
      try {
        resolve(new Response(body, { status, statusText: incoming.statusMessage ?? '', headers: responseHeaders(incoming.headers) }))
      } catch (error) {
        // A status Response cannot carry (e.g. 1xx): as unreadable as a broken connection.
        incoming.destroy()
        reject(error)
      }
    })
    request.once('error', reject)
    if (typeof init.body === 'string' || init.body instanceof Uint8Array) request.end(init.body)
    else request.end()
  })
}
