// The simulator driver's contract with its child process (simulator-child.ts), and the parent's side: the
// Postproxy simulator runs in a process of its own, so its signing and HTTP work does not share an event
// loop (or a core's time slices) with the desktop's tunnel being measured.
import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import type { Message } from '../../../shared/postproxy.ts'

export interface InjectRequest {
  count: number
  ratePerSec: number
  /** Messages come from `<prefix>_0` … `<prefix>_<participants-1>`, round robin (one chat each). */
  participantPrefix: string
  participants: number
}

export interface InjectedEvent {
  messageId: string
  chatId: string
  /** When the simulator called fetch() to POST the signed webhook (monotonic-clock.ts); null if it did not. */
  postedMs: number | null
  /** When the relay's answer arrived; null if none did. */
  answeredMs: number | null
  /** The relay's status; 0 when the POST failed on the network. */
  status: number | null
}

export interface InjectReport {
  events: InjectedEvent[]
  /** The last message injected, as the simulator serialises it (a template for crafted webhooks). */
  sample: Message
  maxLateMs: number
}

export type ChildRequest = { kind: 'inject'; id: number; request: InjectRequest } | { kind: 'close' }
export type ChildReply =
  | { kind: 'ready'; url: string; apiKey: string; profileId: string }
  | { kind: 'injected'; id: number; report: InjectReport }
  | { kind: 'failed'; id: number; error: string }

export interface SimulatorProcess {
  url: string
  apiKey: string
  profileId: string
  pid: number
  inject(request: InjectRequest, timeoutMs: number): Promise<InjectReport>
  close(): Promise<void>
}

const CHILD = join(import.meta.dirname, 'simulator-child.ts')

export async function startSimulatorProcess(timeoutMs = 15_000): Promise<SimulatorProcess> {
  const child: ChildProcess = fork(CHILD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const pending = new Map<number, { resolve: (report: InjectReport) => void; reject: (error: Error) => void }>()
  let nextId = 1
  child.on('message', (reply: ChildReply) => {
    if (reply.kind === 'ready') return
    const waiter = pending.get(reply.id)
    pending.delete(reply.id)
    if (reply.kind === 'injected') waiter?.resolve(reply.report)
    else waiter?.reject(new Error(`the simulator could not inject: ${reply.error}`))
  })
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the simulator process exited (${code})`))
    pending.clear()
  })

  const ready = await new Promise<Extract<ChildReply, { kind: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the simulator process did not start within ${timeoutMs} ms`))
    }, timeoutMs)
    child.on('message', (reply: ChildReply) => {
      if (reply.kind !== 'ready') return
      clearTimeout(timer)
      resolve(reply)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the simulator process exited (${code}) before it was ready`))
    })
  })

  return {
    url: ready.url,
    apiKey: ready.apiKey,
    profileId: ready.profileId,
    pid: child.pid!,
    inject(request, injectTimeoutMs) {
      const id = nextId++
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(new Error(`the simulator did not finish injecting ${request.count} messages within ${injectTimeoutMs} ms`))
        }, injectTimeoutMs)
        pending.set(id, {
          resolve: (report) => {
            clearTimeout(timer)
            resolve(report)
          },
          reject: (error) => {
            clearTimeout(timer)
            reject(error)
          }
        })
        child.send({ kind: 'inject', id, request } satisfies ChildRequest)
      })
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.send({ kind: 'close' } satisfies ChildRequest)
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
  }
}
