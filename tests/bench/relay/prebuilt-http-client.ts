// The load generator's HTTP/1.1 client: keep-alive TCP connections to one server, each request written as
// one prebuilt Buffer (request line, headers and body, built before the timed phase), each answer framed
// by its Content-Length. On the wire it is what node:http's keep-alive agent sends (same request line,
// same headers plus Host and Connection: keep-alive, same body), but per request it costs one socket write
// and one small parse instead of node:http's request object, header validation, and stream machinery, so
// on a 2-core machine the sender leaves the CPU to the server it measures.
//
// One request at a time per connection (no pipelining, which would queue a request behind a slow answer):
// when every open connection is busy, a new one is opened, so a due request is never held back.
import { connect, type Socket } from 'node:net'

export interface RawAnswer {
  /** The HTTP status, or 0 when the connection failed before a whole answer arrived. */
  status: number
  body: string
}

const HEADER_END = Buffer.from('\r\n\r\n')
const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i
const CONNECTION_CLOSE = /\r\nconnection:[ \t]*close/i

interface Connection {
  socket: Socket
  /** Bytes of the answer received so far. */
  received: Buffer
  settle: ((answer: RawAnswer) => void) | null
}

export class PrebuiltHttpClient {
  readonly #host: string
  readonly #port: number
  readonly #idle: Connection[] = []
  readonly #open = new Set<Connection>()

  constructor(target: URL) {
    this.#host = target.hostname
    this.#port = Number(target.port || 80)
  }

  /** The bytes of one POST with a body: built once, before anything is timed. */
  static postBytes(target: URL, headers: Record<string, string>, body: Buffer): Buffer {
    let head = `POST ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: keep-alive\r\n`
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`
    return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body])
  }

  /** Sends one prebuilt request; resolves with its answer (status 0 on a connection failure, never rejects). */
  send(request: Buffer): Promise<RawAnswer> {
    return new Promise((resolve) => {
      const connection = this.#idle.pop() ?? this.#connect()
      connection.received = Buffer.alloc(0)
      connection.settle = resolve
      connection.socket.write(request)
    })
  }

  close(): void {
    for (const connection of this.#open) connection.socket.destroy()
    this.#open.clear()
    this.#idle.length = 0
  }

  #connect(): Connection {
    const socket = connect({ host: this.#host, port: this.#port, noDelay: true })
    const connection: Connection = { socket, received: Buffer.alloc(0), settle: null }
    this.#open.add(connection)
    socket.on('data', (chunk: Buffer) => this.#onData(connection, chunk))
    const gone = (): void => {
      this.#open.delete(connection)
      const index = this.#idle.indexOf(connection)
      if (index !== -1) this.#idle.splice(index, 1)
      const settle = connection.settle
      connection.settle = null
      settle?.({ status: 0, body: '' })
    }
    socket.on('error', gone)
    socket.on('close', gone)
    return connection
  }

  #onData(connection: Connection, chunk: Buffer): void {
    const received = connection.received.length === 0 ? chunk : Buffer.concat([connection.received, chunk])
    connection.received = received
    const headerEnd = received.indexOf(HEADER_END)
    if (headerEnd === -1) return
    const head = received.toString('latin1', 0, headerEnd)
    const length = CONTENT_LENGTH.exec(head)
    const bodyStart = headerEnd + HEADER_END.length
    // Every answer of the relay carries a Content-Length; without one there is no way to frame it.
    const bodyLength = length ? Number(length[1]) : 0
    if (received.length < bodyStart + bodyLength) return
    const status = Number(head.slice(9, 12))
    const body = received.toString('utf8', bodyStart, bodyStart + bodyLength)
    const settle = connection.settle
    connection.settle = null
    connection.received = Buffer.alloc(0)
    // The server closes the connection after this answer (an error before the body was read, say).
    if (!length || CONNECTION_CLOSE.test(head)) connection.socket.destroy()
    else this.#idle.push(connection)
    settle?.({ status, body })
  }
}
