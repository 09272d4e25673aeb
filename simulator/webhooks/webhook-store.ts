// The webhook tables in the simulator's SQLite database. CREATE ... IF NOT EXISTS, so a database file
// given with --data reopens with its webhooks, events and delivery log intact. Every read is scoped by
// account: a webhook of another API key does not exist for this one.
import type Database from 'better-sqlite3'
import type { Page, Webhook, WebhookDelivery } from '../../shared/postproxy.ts'
import type { WebhookFields } from './webhook-input.ts'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  account TEXT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  description TEXT,
  enabled INTEGER NOT NULL,
  secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT
);
CREATE INDEX IF NOT EXISTS webhook_endpoints_by_account ON webhook_endpoints (account, seq);
CREATE TABLE IF NOT EXISTS webhook_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  account TEXT NOT NULL,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  webhook_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  response_status INTEGER,
  attempt_number INTEGER NOT NULL,
  success INTEGER NOT NULL,
  attempted_at TEXT NOT NULL,
  created_at TEXT
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);
`

/** Columns added after the first release: a --data file from before gets them on open. */
const ADDED_COLUMNS: readonly { table: string; column: string }[] = [
  { table: 'webhook_endpoints', column: 'updated_at' },
  { table: 'webhook_deliveries', column: 'created_at' }
]

function addMissingColumns(db: Database.Database): void {
  for (const { table, column } of ADDED_COLUMNS) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]
    if (!columns.some((existing) => existing.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} TEXT`)
  }
}

interface EndpointRow {
  id: string
  account: string
  url: string
  events: string
  description: string | null
  enabled: number
  secret: string
  created_at: string
  updated_at: string | null
}

interface DeliveryRow {
  id: string
  event_id: string
  event_type: string
  response_status: number | null
  attempt_number: number
  success: number
  attempted_at: string
  created_at: string | null
}

export interface StoredWebhook {
  id: string
  account: string
  url: string
  events: string[]
  description: string | null
  enabled: boolean
  secret: string
  createdAt: string
  updatedAt: string
}

export interface NewDelivery extends WebhookDelivery {
  webhook_id: string
  created_at: string
}

const MAX_PER_PAGE = 100
const DEFAULT_PER_PAGE = 20

function toStoredWebhook(row: EndpointRow): StoredWebhook {
  return {
    id: row.id,
    account: row.account,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    description: row.description,
    enabled: row.enabled === 1,
    secret: row.secret,
    createdAt: row.created_at,
    updatedAt: row.updated_at ?? row.created_at
  }
}

/** The API shape. The simulator shows the secret on every read, not only on create (POSTPROXY.md §5). */
export function toWebhook(stored: StoredWebhook): Webhook {
  return {
    id: stored.id,
    url: stored.url,
    events: [...stored.events],
    description: stored.description,
    enabled: stored.enabled,
    secret: stored.secret,
    created_at: stored.createdAt,
    updated_at: stored.updatedAt
  }
}

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    event_id: row.event_id,
    event_type: row.event_type,
    response_status: row.response_status,
    attempt_number: row.attempt_number,
    success: row.success === 1,
    attempted_at: row.attempted_at,
    created_at: row.created_at ?? row.attempted_at
  }
}

/** Zero-based page, per_page clamped to 1..100 (POSTPROXY.md §2). */
function clampPaging(page: number, perPage: number): { page: number; perPage: number } {
  const safePage = Number.isFinite(page) && page > 0 ? Math.floor(page) : 0
  const requested = Number.isFinite(perPage) && perPage >= 1 ? Math.floor(perPage) : DEFAULT_PER_PAGE
  return { page: safePage, perPage: Math.min(MAX_PER_PAGE, requested) }
}

export class WebhookStore {
  readonly #insertEndpoint: Database.Statement
  readonly #selectByAccount: Database.Statement
  readonly #selectEnabledByAccount: Database.Statement
  readonly #selectOne: Database.Statement
  readonly #selectById: Database.Statement
  readonly #updateEndpoint: Database.Statement
  readonly #deleteEndpoint: Database.Statement
  readonly #deleteEndpointDeliveries: Database.Statement
  readonly #insertEvent: Database.Statement
  readonly #insertDelivery: Database.Statement
  readonly #countDeliveries: Database.Statement
  readonly #pageDeliveries: Database.Statement
  readonly #removeWithDeliveries: (account: string, id: string) => boolean

  constructor(db: Database.Database) {
    db.exec(SCHEMA)
    addMissingColumns(db)
    this.#insertEndpoint = db.prepare(
      `INSERT INTO webhook_endpoints (id, account, url, events, description, enabled, secret, created_at, updated_at)
       VALUES (@id, @account, @url, @events, @description, @enabled, @secret, @created_at, @created_at)`
    )
    this.#selectByAccount = db.prepare('SELECT * FROM webhook_endpoints WHERE account = ? ORDER BY seq')
    this.#selectEnabledByAccount = db.prepare('SELECT * FROM webhook_endpoints WHERE account = ? AND enabled = 1 ORDER BY seq')
    this.#selectOne = db.prepare('SELECT * FROM webhook_endpoints WHERE account = ? AND id = ?')
    this.#selectById = db.prepare('SELECT * FROM webhook_endpoints WHERE id = ?')
    this.#updateEndpoint = db.prepare(
      `UPDATE webhook_endpoints SET url = @url, events = @events, description = @description, enabled = @enabled,
         updated_at = @updated_at
       WHERE account = @account AND id = @id`
    )
    this.#deleteEndpoint = db.prepare('DELETE FROM webhook_endpoints WHERE account = ? AND id = ?')
    this.#deleteEndpointDeliveries = db.prepare('DELETE FROM webhook_deliveries WHERE webhook_id = ?')
    this.#insertEvent = db.prepare('INSERT INTO webhook_events (id, account, type, body, created_at) VALUES (?, ?, ?, ?, ?)')
    this.#insertDelivery = db.prepare(
      `INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, response_status, attempt_number, success, attempted_at, created_at)
       VALUES (@id, @webhook_id, @event_id, @event_type, @response_status, @attempt_number, @success, @attempted_at, @created_at)`
    )
    this.#countDeliveries = db.prepare('SELECT COUNT(*) AS total FROM webhook_deliveries WHERE webhook_id = ?')
    // Newest first: insertion order is attempt order, and simulated time never runs backwards.
    this.#pageDeliveries = db.prepare('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?')
    this.#removeWithDeliveries = db.transaction((account: string, id: string) => {
      const removed = this.#deleteEndpoint.run(account, id).changes > 0
      if (removed) this.#deleteEndpointDeliveries.run(id)
      return removed
    })
  }

  insert(account: string, id: string, fields: WebhookFields, secret: string, createdAt: string): StoredWebhook {
    this.#insertEndpoint.run({
      id,
      account,
      url: fields.url,
      events: JSON.stringify(fields.events),
      description: fields.description,
      enabled: fields.enabled ? 1 : 0,
      secret,
      created_at: createdAt
    })
    return { id, account, ...fields, secret, createdAt, updatedAt: createdAt }
  }

  list(account: string): StoredWebhook[] {
    return (this.#selectByAccount.all(account) as EndpointRow[]).map(toStoredWebhook)
  }

  listEnabled(account: string): StoredWebhook[] {
    return (this.#selectEnabledByAccount.all(account) as EndpointRow[]).map(toStoredWebhook)
  }

  get(account: string, id: string): StoredWebhook | null {
    const row = this.#selectOne.get(account, id) as EndpointRow | undefined
    return row ? toStoredWebhook(row) : null
  }

  /** Unscoped: for a retry, which already knows its webhook. */
  getById(id: string): StoredWebhook | null {
    const row = this.#selectById.get(id) as EndpointRow | undefined
    return row ? toStoredWebhook(row) : null
  }

  update(account: string, id: string, patch: Partial<WebhookFields>, updatedAt: string): StoredWebhook | null {
    const current = this.get(account, id)
    if (!current) return null
    const next: StoredWebhook = { ...current, ...patch, updatedAt }
    this.#updateEndpoint.run({
      account,
      id,
      url: next.url,
      events: JSON.stringify(next.events),
      description: next.description,
      enabled: next.enabled ? 1 : 0,
      updated_at: updatedAt
    })
    return next
  }

  /** Removes the webhook and its delivery log. */
  remove(account: string, id: string): boolean {
    return this.#removeWithDeliveries(account, id)
  }

  insertEvent(account: string, id: string, type: string, body: string, createdAt: string): void {
    this.#insertEvent.run(id, account, type, body, createdAt)
  }

  insertDelivery(delivery: NewDelivery): void {
    this.#insertDelivery.run({ ...delivery, success: delivery.success ? 1 : 0 })
  }

  deliveries(webhookId: string, page: number, perPage: number): Page<WebhookDelivery> {
    const paging = clampPaging(page, perPage)
    const { total } = this.#countDeliveries.get(webhookId) as { total: number }
    const rows = this.#pageDeliveries.all(webhookId, paging.perPage, paging.page * paging.perPage) as DeliveryRow[]
    return { total, page: paging.page, per_page: paging.perPage, data: rows.map(toDelivery) }
  }
}
