// HTTP/1.1 spoken by hand over a TCP socket, for what fetch will not send: hop-by-hop headers, repeated
// headers in a chosen order, chunked bodies that never end, and counting how many bytes the server let
// us push before it cut the connection.
import { connect, type Socket } from 'node:net'

export interface RawResponse {
  status: number
  head: string
  body: string
}

function socketTo(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.off('error', reject)
      resolve(socket)
    })
    socket.once('error', reject)
  })
}

/** Parses one response out of `received` once it is complete (by Content-Length), else null. */
export function parseResponse(received: Buffer): RawResponse | null {
  const end = received.indexOf('\r\n\r\n')
  if (end === -1) return null
  const head = received.subarray(0, end).toString('latin1')
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0)
  const body = received.subarray(end + 4)
  if (body.length < length) return null
  return { status: Number(head.split(' ')[1]), head, body: body.subarray(0, length).toString('utf8') }
}

/** Sends the bytes as they are and resolves with the first complete response. */
export async function sendRawRequest(url: string, request: Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  const socket = await socketTo(url)
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0)
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no complete response within ${timeoutMs} ms`))
    }, timeoutMs)
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      const response = parseResponse(received)
      if (response) {
        clearTimeout(timer)
        socket.destroy()
        resolve(response)
      }
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      reject(new Error(`the connection closed before a complete response (${received.length} bytes)`))
    })
    socket.write(request)
  })
}

export interface FloodResult {
  /** Bytes the socket accepted before the server cut it (or before `totalBytes` was reached). */
  bytesWritten: number
  /** The response, if the server sent one before closing. */
  response: RawResponse | null
  /** True when the server closed or reset the connection before the whole body was sent. */
  cutOff: boolean
}

export interface FloodOptions {
  chunkBytes?: number
  /** Send the last-chunk marker after `totalBytes` (default). Without it the body never ends, and the
   *  client stops writing, so a server that answers early can be read without a write racing its reset. */
  terminate?: boolean
  timeoutMs?: number
}

/**
 * Sends headers and then a chunked body of `totalBytes` in `chunkBytes` pieces, respecting the socket's
 * backpressure, until the server closes the connection or everything was written.
 *
 * A server that cuts the connection while we are still writing makes our write fail, and Node then
 * drops whatever response bytes it had not read yet: in that case `response` may be null.
 */
export async function floodChunkedBody(url: string, head: string, totalBytes: number, options: FloodOptions = {}): Promise<FloodResult> {
  const { chunkBytes = 64 * 1024, terminate = true, timeoutMs = 20_000 } = options
  const socket = await socketTo(url)
  let received = Buffer.alloc(0)
  let closed = false
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk])
  })
  socket.on('error', () => {
    closed = true
  })
  const closedPromise = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true
      resolve()
    })
  )
  const deadline = Date.now() + timeoutMs
  const payload = Buffer.alloc(chunkBytes, 0x61)
  const chunk = Buffer.concat([Buffer.from(`${chunkBytes.toString(16)}\r\n`), payload, Buffer.from('\r\n')])
  socket.write(head)
  let bytesWritten = 0
  // Bounded by totalBytes / chunkBytes iterations and by the deadline.
  while (!closed && bytesWritten < totalBytes && Date.now() < deadline) {
    const flushed = socket.write(chunk)
    bytesWritten += chunkBytes
    if (!flushed) {
      await Promise.race([new Promise<void>((resolve) => socket.once('drain', () => resolve())), closedPromise])
    }
  }
  const cutOff = closed
  if (!closed) {
    // The last chunk, without half-closing the socket: the relay answers after its commit, and a client
    // that sends FIN first is one Node's server stops answering (as it should: the sender hung up).
    if (terminate) socket.write('0\r\n\r\n')
    const answered = new Promise<void>((resolve) => {
      const check = (): void => {
        if (parseResponse(received) === null) return
        socket.off('data', check)
        resolve()
      }
      socket.on('data', check)
      check()
    })
    await Promise.race([closedPromise, answered, new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())])
    socket.destroy()
  }
  return { bytesWritten, response: parseResponse(received), cutOff }
}

export interface HalfOpenSocket {
  socket: Socket
  /** Resolves when the server (or the test) closed the connection. */
  closed: Promise<void>
  isClosed(): boolean
  /** What the server sent before closing, e.g. a 408. */
  received(): string
}

/** A slowloris client: connects and sends the start of a request's headers, then nothing more. */
export async function openHalfOpenRequest(url: string, partialHead = 'POST /h/x HTTP/1.1\r\nHost: relay\r\nX-Slow: '): Promise<HalfOpenSocket> {
  const socket = await socketTo(url)
  let closedFlag = false
  let received = ''
  socket.on('error', () => {})
  // Reading is what lets the socket see the server's FIN and close.
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1')
  })
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closedFlag = true
      resolve()
    })
  )
  socket.write(partialHead)
  return { socket, closed, isClosed: () => closedFlag, received: () => received }
}
