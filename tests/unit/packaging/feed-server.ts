// A static file server on 127.0.0.1 standing in for an update host: it serves a folder exactly as a
// generic electron-builder feed is hosted (latest-*.yml next to the installers) and records each request.
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, normalize } from 'node:path'

export class FeedServer {
  readonly requestedPaths: string[] = []
  readonly #root: string
  readonly #server: Server
  url = ''

  constructor(root: string) {
    this.#root = root
    this.#server = createServer(async (request, response) => {
      const path = new URL(request.url ?? '/', 'http://feed').pathname
      this.requestedPaths.push(path)
      const file = normalize(join(this.#root, decodeURIComponent(path)))
      try {
        if (!file.startsWith(this.#root)) throw new Error('outside the feed')
        const body = await readFile(file)
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length })
        response.end(body)
      } catch {
        response.writeHead(404, { 'content-type': 'text/plain' })
        response.end('not found')
      }
    })
  }

  async start(): Promise<this> {
    this.#server.listen(0, '127.0.0.1')
    await once(this.#server, 'listening')
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/`
    return this
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections()
    this.#server.close()
    await once(this.#server, 'close')
  }
}
