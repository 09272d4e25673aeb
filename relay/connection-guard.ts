// A cap on open connections that slow or idle clients cannot use to lock everyone else out.
//
// Node's own `server.maxConnections` refuses every new connection once the cap is reached, so 500 sockets
// that open and never finish their headers (slowloris) would keep real senders and desktops out until the
// headers timeout frees them. Here, a connection arriving at the cap instead takes the place of the
// connection that has been waiting longest without a request in progress (one that has not finished its
// headers yet, or a kept-alive one between requests): a legitimate client sends its headers at once and is
// then busy, so it keeps its place, while the half-open ones make room. Only when every connection is busy
// (streams, uploads — each bounded by its own limits) is the newcomer refused.
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import type { RelayMetrics } from './metrics.ts'

interface Tracked {
  /** A request is in progress (headers received, response not finished). */
  busy: boolean
  /** When the connection last became idle (connected, or finished its last response). */
  idleSince: number
}

export function guardConnections(server: Server, maxConnections: number, metrics: RelayMetrics): void {
  const connections = new Map<Socket, Tracked>()

  server.on('connection', (socket: Socket) => {
    if (connections.size >= maxConnections) {
      const idlest = longestIdle(connections)
      if (!idlest) {
        metrics.connectionsRefused += 1
        socket.destroy()
        return
      }
      connections.delete(idlest)
      metrics.connectionsEvicted += 1
      idlest.destroy()
    }
    connections.set(socket, { busy: false, idleSince: performance.now() })
    socket.once('close', () => connections.delete(socket))
  })

  server.on('request', (request, response) => {
    const tracked = connections.get(request.socket)
    if (!tracked) return
    tracked.busy = true
    response.once('close', () => {
      tracked.busy = false
      tracked.idleSince = performance.now()
    })
  })
}

function longestIdle(connections: Map<Socket, Tracked>): Socket | null {
  let found: Socket | null = null
  let since = Infinity
  // Bounded by maxConnections entries, and only when the cap is reached.
  for (const [socket, tracked] of connections) {
    if (!tracked.busy && tracked.idleSince < since) {
      found = socket
      since = tracked.idleSince
    }
  }
  return found
}
