// The local target smee-client forwards to: a loopback HTTP server that notes which messages arrived
// (smee-client re-serialises the body, but it is still the Postproxy envelope, so `data.message.id` says
// which message it was) and how many forwards there were in all.
import { EventEmitter } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export class SmeeReceiver extends EventEmitter<{ forwarded: [] }> {
  readonly messageIds = new Set<string>()
  forwards = 0
  unreadable = 0
  private readonly server: Server
  private address = ''

  constructor() {
    super()
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        this.note(Buffer.concat(chunks))
        response.writeHead(200).end()
        this.emit('forwarded')
      })
    })
  }

  get url(): string {
    return this.address
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.address = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  private note(body: Buffer): void {
    this.forwards++
    try {
      const envelope = JSON.parse(body.toString('utf8')) as { data?: { message?: { id?: unknown } } }
      const id = envelope.data?.message?.id
      if (typeof id === 'string') this.messageIds.add(id)
      else this.unreadable++
    } catch {
      this.unreadable++
    }
  }
}
