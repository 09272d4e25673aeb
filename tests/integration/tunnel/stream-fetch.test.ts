// The event stream's fetch over node:http: a standard Response whose body arrives as the server writes it,
// the request's method, headers and body on the wire, and an abort that ends the stream.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { streamFetch } from '../../../electron/inbox/tunnel/stream-fetch.ts'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  server = createServer(handler)
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('streamFetch', () => {
  it('hands over each chunk as the server writes it, with the status and headers', async () => {
    let writeMore!: () => void
    const url = await serve((request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'x-seen': `${request.method} ${request.headers.authorization}` })
      response.write('id: 1\ndata: one\n\n')
      writeMore = () => response.end('id: 2\ndata: two\n\n')
    })
    const response = await streamFetch(`${url}/stream`, { headers: { authorization: 'Bearer t0ken' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    expect(response.headers.get('x-seen')).toBe('GET Bearer t0ken')
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    // The first event is readable while the server still holds the stream open.
    expect(decoder.decode((await reader.read()).value)).toBe('id: 1\ndata: one\n\n')
    writeMore()
    let rest = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value)
    expect(rest).toBe('id: 2\ndata: two\n\n')
  })

  it('sends the method and body, and answers a refusal as a Response with its text', async () => {
    const url = await serve((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        response.writeHead(401, { 'content-type': 'text/plain' })
        response.end(`${request.method} ${body}: token revoked`)
      })
    })
    const response = await streamFetch(url, { method: 'POST', body: '{"ack":5}' })
    expect(response.status).toBe(401)
    expect(await response.text()).toBe('POST {"ack":5}: token revoked')
  })

  it('ends the stream when the signal aborts, and refuses what is not http(s)', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.write(': open\n\n')
    })
    const controller = new AbortController()
    const response = await streamFetch(url, { signal: controller.signal })
    const reader = response.body!.getReader()
    await reader.read()
    controller.abort()
    await expect(reader.read()).rejects.toThrow()
    await expect(streamFetch('file:///etc/passwd')).rejects.toThrow('cannot stream from file: URLs')
    await expect(streamFetch('http://127.0.0.1:1/', { signal: AbortSignal.abort() })).rejects.toThrow()
  })
})
