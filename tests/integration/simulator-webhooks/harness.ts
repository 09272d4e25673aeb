// Per-test wiring: a real in-memory (or file) SQLite database, a dispatcher on a fake clock, loopback
// receivers, and teardown of all of them.
import Database from 'better-sqlite3'
import type { Message } from '../../../shared/postproxy.ts'
import type { WebhookDispatcher, WebhookDispatcherOptions } from '../../../simulator/contracts.ts'
import { createWebhookDispatcher } from '../../../simulator/webhooks/dispatcher.ts'
import { fakeClock, startLoopbackReceiver, type LoopbackReceiver, type ReceiverAnswer } from './loopback-receiver.ts'

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
  return {
    id: 'msg_111',
    chat_id: 'chat_xyz789',
    external_id: 'mid.abc123',
    direction: 'inbound',
    body: 'Hey, do you ship internationally? ✨ ¿Sí?',
    status: 'received',
    tag: null,
    external_comment_id: null,
    error_message: null,
    platform_data: null,
    external_posted_at: '2026-05-31T14:02:00.000Z',
    external_delivered_at: null,
    external_read_at: null,
    external_edited_at: null,
    external_deleted_at: null,
    reply_to_external_id: null,
    reactions: [],
    attachments: [],
    is_unsupported: false,
    created_at: '2026-05-31T14:02:01.000Z',
    ...overrides
  }
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
