// Webhook delivery as Postproxy does it (POSTPROXY.md §6): each event becomes one signed JSON body,
// POSTed to every enabled webhook of the account that subscribes to it, retried on the documented
// schedule until a 2xx or the fifth attempt.
//
// Guarantees, as Postproxy documents them: at-least-once, and no ordering. Webhooks are delivered to
// independently and concurrently, and a retry of an older event can land after a newer event, so a
// receiver dedupes on the envelope `id` (stable across retries) or `X-Postproxy-Delivery` (new per
// attempt) and never relies on arrival order.
//
// Retries wait on real timers (the schedule multiplied by `retryDelayScale`), not on the simulated
// clock: advancing the clock does not fire them. For the same reason the signature's `t` is wall-clock
// time (receivers compare it with their own clock to refuse replays), while the envelope's
// `created_at` and the delivery log follow the simulated clock like every other timestamp. Pending retries live in memory only; a simulator
// that restarts on the same --data file keeps its webhooks and delivery log but not its retry queue.
import type { AccountId, WebhookDispatcher, WebhookDispatcherOptions, WebhookInput } from '../contracts.ts'
import type { Page, Webhook, WebhookDelivery } from '../../shared/postproxy.ts'
import { generateWebhookSecret, signWebhookPayload } from './sign.ts'
import { isSubscribed } from './subscriptions.ts'
import { validateNewWebhook, validateWebhookPatch } from './webhook-input.ts'
import { WebhookStore, toWebhook } from './webhook-store.ts'
import { newWebhookObjectId } from './random-id.ts'
import { postDelivery } from './post-delivery.ts'

const MINUTE_MS = 60_000
/** The wait before attempt 1..5: now, +1 min, +5 min, +30 min, +2 h (each after the previous failure). */
export const RETRY_DELAYS_MS: readonly number[] = [0, MINUTE_MS, 5 * MINUTE_MS, 30 * MINUTE_MS, 120 * MINUTE_MS]
export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_MS.length
export const DEFAULT_DELIVERY_TIMEOUT_MS = 30_000
export const WEBHOOK_USER_AGENT = 'Postproxy-Webhooks/1.0'

/** One event on its way to one webhook. The body bytes are fixed once, so every attempt signs the same bytes. */
interface PendingDelivery {
  webhookId: string
  eventId: string
  eventType: string
  body: Uint8Array
}

interface ScheduledAttempt {
  webhookId: string
  /** performance.now() at which it fires. */
  firesAt: number
  timer: NodeJS.Timeout
}

interface IdleWaiter {
  withinMs: number
  resolve: () => void
}

/**
 * The SDKs read the Message from `data.message`, newer docs from `data.object`: message events carry
 * both (POSTPROXY.md §6). Other data (a referral's chat, a post) is left as given.
 */
function withMessageUnderBothKeys(type: string, data: Record<string, unknown>): Record<string, unknown> {
  const message = data.message !== undefined ? data.message : type.startsWith('message.') ? data.object : undefined
  if (message === undefined) return data
  return { ...data, message, object: message }
}

class SqliteWebhookDispatcher implements WebhookDispatcher {
  readonly #store: WebhookStore
  readonly #clock: WebhookDispatcherOptions['clock']
  readonly #retryDelayScale: number
  readonly #timeoutMs: number
  readonly #inFlight = new Set<Promise<void>>()
  readonly #scheduled = new Set<ScheduledAttempt>()
  readonly #waiters = new Set<IdleWaiter>()
  readonly #cancel = new AbortController()
  #closed = false

  constructor(options: WebhookDispatcherOptions) {
    const scale = options.retryDelayScale ?? 1
    if (!Number.isFinite(scale) || scale < 0) throw new RangeError('retryDelayScale must be a finite number of at least 0.')
    const timeoutMs = options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new RangeError('deliveryTimeoutMs must be a positive number.')
    this.#store = new WebhookStore(options.db)
    this.#clock = options.clock
    this.#retryDelayScale = scale
    this.#timeoutMs = timeoutMs
  }

  create(account: AccountId, input: WebhookInput): Webhook {
    const fields = validateNewWebhook(input)
    const createdAt = new Date(this.#clock.now()).toISOString()
    return toWebhook(this.#store.insert(account, newWebhookObjectId('wh'), fields, generateWebhookSecret(), createdAt))
  }

  list(account: AccountId): Webhook[] {
    return this.#store.list(account).map(toWebhook)
  }

  get(account: AccountId, id: string): Webhook | null {
    const stored = this.#store.get(account, id)
    return stored ? toWebhook(stored) : null
  }

  update(account: AccountId, id: string, patch: Partial<WebhookInput>): Webhook | null {
    if (!this.#store.get(account, id)) return null
    const updated = this.#store.update(account, id, validateWebhookPatch(patch), new Date(this.#clock.now()).toISOString())
    return updated ? toWebhook(updated) : null
  }

  remove(account: AccountId, id: string): boolean {
    const removed = this.#store.remove(account, id)
    if (removed) {
      for (const attempt of this.#scheduled) {
        if (attempt.webhookId !== id) continue
        clearTimeout(attempt.timer)
        this.#scheduled.delete(attempt)
      }
      this.#wakeIdleWaiters()
    }
    return removed
  }

  deliveries(account: AccountId, webhookId: string, page: number, perPage: number): Page<WebhookDelivery> | null {
    if (!this.#store.get(account, webhookId)) return null
    return this.#store.deliveries(webhookId, page, perPage)
  }

  emit(account: AccountId, type: string, data: Record<string, unknown>): void {
    if (this.#closed) return
    const subscribers = this.#store.listEnabled(account).filter((webhook) => isSubscribed(webhook.events, type))
    if (subscribers.length === 0) return
    const envelope = {
      id: newWebhookObjectId('evt'),
      object: 'event',
      type,
      created_at: new Date(this.#clock.now()).toISOString(),
      data: withMessageUnderBothKeys(type, data)
    }
    const json = JSON.stringify(envelope)
    this.#store.insertEvent(account, envelope.id, type, json, envelope.created_at)
    const body = Buffer.from(json, 'utf8')
    for (const webhook of subscribers) {
      this.#startAttempt({ webhookId: webhook.id, eventId: envelope.id, eventType: type, body }, 1)
    }
  }

  idle(withinMs = Number.POSITIVE_INFINITY): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.add({ withinMs, resolve })
      this.#wakeIdleWaiters()
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const attempt of this.#scheduled) clearTimeout(attempt.timer)
    this.#scheduled.clear()
    this.#cancel.abort()
    await Promise.allSettled([...this.#inFlight])
    for (const waiter of this.#waiters) waiter.resolve()
    this.#waiters.clear()
  }

  #startAttempt(delivery: PendingDelivery, attemptNumber: number): void {
    const attempt = this.#attempt(delivery, attemptNumber)
    this.#inFlight.add(attempt)
    void attempt.finally(() => {
      this.#inFlight.delete(attempt)
      this.#wakeIdleWaiters()
    })
  }

  async #attempt(delivery: PendingDelivery, attemptNumber: number): Promise<void> {
    try {
      // Read the webhook again on every attempt: it may have been disabled, removed or pointed elsewhere.
      const webhook = this.#store.getById(delivery.webhookId)
      if (!webhook || !webhook.enabled || this.#closed) return
      const deliveryId = newWebhookObjectId('dlv')
      const sentAt = this.#clock.now()
      const signedAt = Math.floor(Date.now() / 1000)
      const outcome = await postDelivery({
        url: webhook.url,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': WEBHOOK_USER_AGENT,
          'X-Postproxy-Event': delivery.eventType,
          'X-Postproxy-Delivery': deliveryId,
          'X-Postproxy-Signature': signWebhookPayload(webhook.secret, signedAt, delivery.body)
        },
        body: delivery.body,
        timeoutMs: this.#timeoutMs,
        cancel: this.#cancel.signal
      })
      if (outcome.kind === 'cancelled' || this.#closed || !this.#store.getById(delivery.webhookId)) return
      const success = outcome.kind === 'answered' && outcome.success
      this.#store.insertDelivery({
        id: deliveryId,
        webhook_id: delivery.webhookId,
        event_id: delivery.eventId,
        event_type: delivery.eventType,
        response_status: outcome.kind === 'answered' ? outcome.status : null,
        attempt_number: attemptNumber,
        success,
        attempted_at: new Date(sentAt).toISOString(),
        created_at: new Date(this.#clock.now()).toISOString()
      })
      if (!success && attemptNumber < MAX_DELIVERY_ATTEMPTS) this.#scheduleAttempt(delivery, attemptNumber + 1)
    } catch (error) {
      // A delivery problem must never take the simulator down; the log shows what went wrong.
      console.error('[simulator] webhook delivery could not be completed:', error)
    }
  }

  #scheduleAttempt(delivery: PendingDelivery, attemptNumber: number): void {
    const delayMs = RETRY_DELAYS_MS[attemptNumber - 1] * this.#retryDelayScale
    const scheduled: ScheduledAttempt = {
      webhookId: delivery.webhookId,
      firesAt: performance.now() + delayMs,
      timer: setTimeout(() => {
        this.#scheduled.delete(scheduled)
        this.#startAttempt(delivery, attemptNumber)
      }, delayMs)
    }
    // A pending retry must not keep a finished process alive.
    scheduled.timer.unref()
    this.#scheduled.add(scheduled)
  }

  #wakeIdleWaiters(): void {
    if (this.#inFlight.size > 0) return
    const now = performance.now()
    for (const waiter of this.#waiters) {
      const busySoon = [...this.#scheduled].some((attempt) => attempt.firesAt <= now + waiter.withinMs)
      if (busySoon) continue
      this.#waiters.delete(waiter)
      waiter.resolve()
    }
  }
}

/** See `WebhookDispatcher` in contracts.ts. `idle()` without an argument waits for every pending retry. */
export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  return new SqliteWebhookDispatcher(options)
}
