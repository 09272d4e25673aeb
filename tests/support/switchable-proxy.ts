// A loopback TCP proxy that can "lose the network": while down it cuts every connection, open or
// new, the way a dropped Wi-Fi does. Tests put it between a client and a real server.
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net'

export interface SwitchableProxy {
  url: string
  /** Cuts open connections and refuses new ones until `up()`. */
  down(): void
  up(): void
  close(): Promise<void>
}

export async function startSwitchableProxy(target: string): Promise<SwitchableProxy> {
  const { hostname, port } = new URL(target)
  let isUp = true
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    if (!isUp) {
      client.destroy()
      return
    }
    const upstream = createConnection({ host: hostname, port: Number(port) })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    down() {
      isUp = false
      for (const socket of sockets) socket.destroy()
    },
    up() {
      isUp = true
    },
    close() {
      for (const socket of sockets) socket.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    }
  }
}
