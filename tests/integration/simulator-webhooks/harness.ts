// Per-test wiring: a real in-memory (or file) SQLite database, a dispatcher on a fake clock, loopback
// receivers, and teardown of all of them.
import Database from 'better-sqlite3'
import type { Message } from '../../../shared/postproxy.ts'
import type { WebhookDispatcher, WebhookDispatcherOptions } from '../../../simulator/contracts.ts'
import { createWebhookDispatcher } from '../../../simulator/webhooks/dispatcher.ts'
import { fakeClock, startLoopbackReceiver, type LoopbackReceiver, type ReceiverAnswer } from './loopback-receiver.ts'
import { messageFixture } from '../../support/postproxy-fixtures.ts'

export const START_ISO = '2026-05-31T14:02:00.000Z'

export interface Harness {
  clock: ReturnType<typeof fakeClock>
  db: Database.Database
  dispatcher(options?: Partial<Omit<WebhookDispatcherOptions, 'db' | 'clock'>>): WebhookDispatcher
  receiver(answer?: (index: number) => ReceiverAnswer): Promise<LoopbackReceiver>
  cleanup(): Promise<void>
}

export function createHarness(dbPath = ':memory:'): Harness {
  const clock = fakeClock(START_ISO)
  const db = new Database(dbPath)
  const dispatchers: WebhookDispatcher[] = []
  const receivers: LoopbackReceiver[] = []
  return {
    clock,
    db,
    dispatcher(options = {}) {
      const dispatcher = createWebhookDispatcher({ db, clock, retryDelayScale: 0.0001, ...options })
      dispatchers.push(dispatcher)
      return dispatcher
    },
    async receiver(answer) {
      const receiver = await startLoopbackReceiver(answer)
      receivers.push(receiver)
      return receiver
    },
    async cleanup() {
      for (const dispatcher of dispatchers) await dispatcher.close()
      for (const receiver of receivers) await receiver.close()
      if (db.open) db.close()
    }
  }
}

export function sampleMessage(overrides: Partial<Message> = {}): Message {
  // Escaped unicode in the body exercises byte-exact signing.
  return messageFixture({ body: 'Hey, do you ship internationally? ✨ ¿Sí?', reactions: [], ...overrides }) as Message
}

/** Fails the test with a clear message instead of hanging until the test timeout. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
