// Idempotency-Key on writes (POSTPROXY.md §1): the same key and the same request within 24 h replay
// the original 2xx answer; a retry while the first is still being processed gets 409; the same key
// with a different request gets 422; error answers are not stored. Keys are scoped per account.
import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { AccountId, SimClock } from './contracts.ts'
import type { RequestBody } from './body.ts'
import { conflict, unprocessable } from './http-errors.ts'

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

export interface StoredResponse {
  status: number
  body: unknown
}

export type IdempotencyClaim =
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'claimed'; complete: (response: StoredResponse) => void; abandon: () => void }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS idempotency_keys (
  account TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  in_flight INTEGER NOT NULL,
  status INTEGER,
  body TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (account, key)
);
`

/** The header's key, or null when absent; 422 when it is blank or too long. */
export function idempotencyKeyFrom(header: string | string[] | undefined): string | null {
  if (header === undefined) return null
  const key = Array.isArray(header) ? header[0] : header
  if (key.trim() === '') throw unprocessable(["Idempotency-Key can't be blank."])
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw unprocessable([`Idempotency-Key must be at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters; this one has ${key.length}.`])
  }
  return key
}

/**
 * What "the same request" means: method, path and the decoded body. Decoded, so a retried upload
 * with a fresh multipart boundary, or JSON with its keys in another order, is still the same request.
 */
export function requestFingerprint(method: string, path: string, body: RequestBody): string {
  const hash = createHash('sha256')
  hash.update(`${method} ${path}\n`)
  if (body.kind === 'json') hash.update(`json:${canonicalJson(body.value)}`)
  if (body.kind === 'multipart') {
    for (const part of body.parts) {
      hash.update(`part:${part.name}|${part.filename ?? ''}|${part.contentType ?? ''}|${part.data.length}|`)
      hash.update(part.data)
    }
  }
  return hash.digest('hex')
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export class IdempotencyStore {
  #clock: SimClock
  #statements: ReturnType<typeof prepareStatements>

  constructor(db: Database.Database, clock: SimClock) {
    this.#clock = clock
    db.exec(SCHEMA)
    // A request that was in flight when a previous run stopped will never complete.
    db.exec('DELETE FROM idempotency_keys WHERE in_flight = 1')
    this.#statements = prepareStatements(db)
  }

  /** Replays, claims, or throws 409 (in flight) / 422 (different request). */
  claim(account: AccountId, key: string, fingerprint: string): IdempotencyClaim {
    const now = this.#clock.now()
    const existing = this.#statements.find.get(account, key) as
      | { fingerprint: string; in_flight: number; status: number | null; body: string | null; created_at: number }
      | undefined
    if (existing && now - existing.created_at < IDEMPOTENCY_TTL_MS) {
      if (existing.fingerprint !== fingerprint) {
        throw unprocessable(['Idempotency-Key was already used for a different request; use a new key for a new request.'])
      }
      if (existing.in_flight) throw conflict('A request with this Idempotency-Key is still being processed; retry in a moment.')
      return { kind: 'replay', response: { status: existing.status ?? 200, body: JSON.parse(existing.body ?? 'null') } }
    }
    this.#statements.claim.run(account, key, fingerprint, now)
    return {
      kind: 'claimed',
      complete: (response) => {
        this.#statements.complete.run(response.status, JSON.stringify(response.body), account, key)
      },
      abandon: () => {
        this.#statements.abandon.run(account, key)
      }
    }
  }

  clearAccount(account: AccountId): void {
    this.#statements.clearAccount.run(account)
  }
}

function prepareStatements(db: Database.Database) {
  return {
    find: db.prepare('SELECT fingerprint, in_flight, status, body, created_at FROM idempotency_keys WHERE account = ? AND key = ?'),
    claim: db.prepare(
      `INSERT INTO idempotency_keys (account, key, fingerprint, in_flight, created_at) VALUES (?, ?, ?, 1, ?)
       ON CONFLICT (account, key) DO UPDATE SET fingerprint = excluded.fingerprint, in_flight = 1,
         status = NULL, body = NULL, created_at = excluded.created_at`
    ),
    complete: db.prepare('UPDATE idempotency_keys SET in_flight = 0, status = ?, body = ? WHERE account = ? AND key = ?'),
    abandon: db.prepare('DELETE FROM idempotency_keys WHERE account = ? AND key = ? AND in_flight = 1'),
    clearAccount: db.prepare('DELETE FROM idempotency_keys WHERE account = ?')
  }
}
