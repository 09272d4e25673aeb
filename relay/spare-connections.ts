// Connections that have not sent a request: a client's spare keep-alive socket (Node's fetch opens one to
// an origin right after it stops reading an event stream there), or one that never finished its headers.
// They hold no request to finish, so the relay's close() cuts them at once instead of waiting out the
// grace it gives requests in progress (which made every close with such a client take a full second).
import type { Server } from 'node:http'
import type { Socket } from 'node:net'

export function trackSpareConnections(server: Server): { closeAll(): void } {
  const spare = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    spare.add(socket)
    socket.once('close', () => spare.delete(socket))
  })
  server.on('request', (request) => spare.delete(request.socket))
  return {
    closeAll: () => {
      for (const socket of spare) socket.destroy()
    }
  }
}
