// The page's side of web mode for tests: the bridge WebSocket (token and Origin as the page sends them),
// calls matched to their results, and the pushed status.
import WebSocket from 'ws'
import type { InboxResult, InboxStatus, ThreadMessage, ThreadPage } from '../../shared/inbox-api.ts'

export interface WebBridgeClient {
  socket: WebSocket
  /** Resolves when the server closes the socket. */
  closed: Promise<void>
  call(name: string, args?: unknown): Promise<InboxResult<unknown>>
  /** Resolves when the status (asked for now, then as pushed) satisfies `match`. */
  statusWhere(match: (status: InboxStatus) => boolean): Promise<void>
  /** Resolves with the chat's newest page once it satisfies `match` (read now, then on each change of the chat). */
  threadWhere(chatId: string, match: (messages: ThreadMessage[]) => boolean): Promise<ThreadMessage[]>
}

/** `pageUrl` is the URL web mode prints, token included. */
export async function connectWebBridge(pageUrl: string): Promise<WebBridgeClient> {
  const url = new URL(pageUrl)
  const socket = new WebSocket(`ws://${url.host}/bridge?token=${url.searchParams.get('token')}`, { origin: url.origin })
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject))
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  let nextId = 1
  const call = (name: string, args?: unknown) =>
    new Promise<InboxResult<unknown>>((resolve) => {
      const id = nextId++
      const receive = (data: WebSocket.RawData) => {
        const frame = JSON.parse(data.toString())
        if (frame.type !== 'result' || frame.id !== id) return
        socket.off('message', receive)
        resolve(frame.result)
      }
      socket.on('message', receive)
      socket.send(JSON.stringify({ type: 'call', id, name, args }))
    })
  const statusWhere = (match: (status: InboxStatus) => boolean) =>
    new Promise<void>((resolve) => {
      const receive = (data: WebSocket.RawData) => {
        const frame = JSON.parse(data.toString())
        if (frame.type === 'event' && frame.name === 'status' && match(frame.payload)) done()
      }
      const done = () => {
        socket.off('message', receive)
        resolve()
      }
      socket.on('message', receive)
      void call('getStatus').then((result) => result.ok && match(result.value as InboxStatus) && done())
    })
  const threadWhere = (chatId: string, match: (messages: ThreadMessage[]) => boolean) =>
    new Promise<ThreadMessage[]>((resolve) => {
      let settled = false
      const check = async () => {
        const result = await call('getThread', { chatId })
        const messages = result.ok ? (result.value as ThreadPage).messages : []
        if (settled || !match(messages)) return
        settled = true
        socket.off('message', receive)
        resolve(messages)
      }
      const receive = (data: WebSocket.RawData) => {
        const frame = JSON.parse(data.toString())
        if (frame.type === 'event' && frame.name === 'messages-changed' && frame.payload.chatId === chatId) void check()
      }
      socket.on('message', receive)
      void check()
    })
  return { socket, closed, call, statusWhere, threadWhere }
}
