// Pairing this desktop with a relay (RELAY.md, relay/README.md "Pairing a desktop"): with the relay's URL
// and admin token, create a channel and a device, register the channel's ingest URL as the Postproxy
// webhook for the inbox's events (DMs and new comments), and keep what that produced.
//
// Re-pairing is a switch-over (issue #12.1): the new channel, device and webhook are built while the current
// pairing keeps delivering, and only once all of them exist does the new one replace it; then the old
// webhook is deleted and the old device revoked. A failure on the way leaves the current pairing as it was.
//
// Where things are kept: the device token and every webhook secret in the keychain (SecretStore) —
// never SQLite, never a log; the non-secret ids (relay URL, channel, device, webhooks) in the store's
// settings. The admin token is used and forgotten.
//
// Secret rotation: Postproxy signs with one secret per webhook, so rotating means a second webhook (a new
// secret) on the same ingest URL, both live for an overlap period (the same event arrives twice and is
// applied once), then the old webhook is deleted. Its secret stays accepted a while longer
// (`secretGraceMs`, the relay's retention) for events it signed that still wait in the relay.
import { INBOX_EVENT_TYPES } from '../../../shared/postproxy.ts'
import type { PostproxyClient } from '../postproxy/client.ts'
import { isPostproxyError } from '../postproxy/errors.ts'
import type { SecretName, SecretStore } from '../secrets/index.ts'
import type { InboxStore } from '../store/index.ts'
import { RelayAdminClient } from './relay-admin.ts'
import type { RelayEndpoint } from './relay-client.ts'

export interface PairingRecord {
  relayUrl: string
  channelId: string
  deviceId: string
  pairedAt: string
}

/** One Postproxy webhook whose secret this desktop accepts. */
export interface WebhookKey {
  webhookId: string
  /** When it stops being the webhook Postproxy uses (a rotation replaced it); null while current. */
  retireAt: string | null
  /** The webhook itself is deleted on Postproxy; only its secret is still accepted. */
  webhookDeleted: boolean
}

export interface UnpairReport {
  webhooksDeleted: string[]
  /** False when no admin token was given: the relay still knows the device until someone revokes it. */
  deviceRevoked: boolean
  /** Steps that failed but were passed over (`force`), in words for the creator. */
  problems: string[]
}

/** A new channel, device and webhook with their secrets in the keychain, not yet in use. */
export interface PreparedPairing {
  record: PairingRecord
  webhookId: string
}

/** The pairing a switch-over replaced, still to be retired. */
export interface ReplacedPairing {
  record: PairingRecord | null
  keys: WebhookKey[]
}

/** A pairing step that failed, with a sentence for the creator. */
export class PairingError extends Error {
  readonly userMessage: string

  constructor(userMessage: string, cause?: unknown) {
    super(userMessage, cause === undefined ? undefined : { cause })
    this.name = 'PairingError'
    this.userMessage = userMessage
  }
}

export type PairingClient = Pick<PostproxyClient, 'createWebhook' | 'deleteWebhook' | 'getWebhook'>

export interface TunnelPairingOptions {
  store: InboxStore
  secrets: SecretStore
  client: PairingClient
  fetch?: typeof globalThis.fetch
  now?: () => number
  /** How long a retired webhook's secret is still accepted. Default 7 days (the relay's retention). */
  secretGraceMs?: number
  log?: (line: string) => void
}

const PAIRING_SETTING = 'tunnel.pairing'
const WEBHOOKS_SETTING = 'tunnel.webhooks'
export const DEFAULT_ROTATION_OVERLAP_MS = 3 * 3600_000
const DEFAULT_SECRET_GRACE_MS = 7 * 24 * 3600_000
const WEBHOOK_DESCRIPTION = 'dmdesk relay tunnel'

const deviceTokenName = (deviceId: string): SecretName => `relay-device-token:${deviceId}`
const webhookSecretName = (webhookId: string): SecretName => `webhook-secret:${webhookId}`

export class TunnelPairing {
  private readonly store: InboxStore
  private readonly secrets: SecretStore
  private readonly client: PairingClient
  private readonly fetchImpl: typeof globalThis.fetch | undefined
  private readonly now: () => number
  private readonly secretGraceMs: number
  private readonly log: (line: string) => void

  constructor(options: TunnelPairingOptions) {
    this.store = options.store
    this.secrets = options.secrets
    this.client = options.client
    this.fetchImpl = options.fetch
    this.now = options.now ?? Date.now
    this.secretGraceMs = options.secretGraceMs ?? DEFAULT_SECRET_GRACE_MS
    this.log = options.log ?? (() => {})
  }

  current(): PairingRecord | null {
    const value = this.store.settings.get(PAIRING_SETTING) as PairingRecord | undefined
    return value && typeof value.channelId === 'string' ? value : null
  }

  webhookKeys(): WebhookKey[] {
    const value = this.store.settings.get(WEBHOOKS_SETTING)
    return Array.isArray(value) ? (value as WebhookKey[]) : []
  }

  /** Where and as whom to stream; null when not paired or the device token is gone from the keychain. */
  async endpoint(): Promise<RelayEndpoint | null> {
    const pairing = this.current()
    if (!pairing) return null
    const deviceToken = await this.secrets.get(deviceTokenName(pairing.deviceId))
    return deviceToken ? { relayUrl: pairing.relayUrl, channelId: pairing.channelId, deviceToken } : null
  }

  /** Every secret in force: the current webhook's, plus retired ones within their grace period. */
  async webhookSecrets(): Promise<string[]> {
    const secrets: string[] = []
    for (const key of this.webhookKeys()) {
      const secret = await this.secrets.get(webhookSecretName(key.webhookId))
      if (secret) secrets.push(secret)
    }
    return secrets
  }

  /** Pairs with the relay at `relayUrl`, replacing any current pairing (prepare, switch over, retire). */
  async pair(input: { relayUrl: string; adminToken: string }): Promise<PairingRecord> {
    const prepared = await this.prepare(input)
    const replaced = this.switchTo(prepared)
    await this.retire(replaced, { adminToken: input.adminToken })
    return prepared.record
  }

  /**
   * Builds a pairing with the relay at `relayUrl` — channel, device, the Postproxy webhook, their secrets
   * in the keychain — without touching the current one. If a step fails, what the earlier steps created
   * is removed again and the error says what to do; the current pairing is as it was.
   */
  async prepare(input: { relayUrl: string; adminToken: string }): Promise<PreparedPairing> {
    const admin = new RelayAdminClient({ relayUrl: input.relayUrl, adminToken: input.adminToken, fetch: this.fetchImpl })
    const channel = await admin.createChannel()
    let webhookId: string | null = null
    const storedSecrets: SecretName[] = []
    try {
      const device = await admin.createDevice(channel.channel_id)
      const webhook = await this.client.createWebhook({ url: channel.ingest_url, events: [...INBOX_EVENT_TYPES], description: WEBHOOK_DESCRIPTION })
      webhookId = webhook.id
      if (!webhook.secret) throw new PairingError('Postproxy did not return a signing secret for the new webhook, so its events could not be checked. Try pairing again.')
      await this.keepSecret(storedSecrets, deviceTokenName(device.device_id), device.token)
      await this.keepSecret(storedSecrets, webhookSecretName(webhook.id), webhook.secret)
      const record: PairingRecord = {
        relayUrl: admin.relayUrl,
        channelId: channel.channel_id,
        deviceId: device.device_id,
        pairedAt: new Date(this.now()).toISOString()
      }
      return { record, webhookId: webhook.id }
    } catch (error) {
      for (const name of storedSecrets) await this.secrets.delete(name).catch(() => false)
      if (webhookId !== null) await this.client.deleteWebhook(webhookId).catch((e: unknown) => this.log(`rollback: could not delete webhook ${webhookId}: ${String(e)}`))
      await admin.deleteChannel(channel.channel_id).catch((e: unknown) => this.log(`rollback: could not delete relay channel ${channel.channel_id}: ${String(e)}`))
      throw error
    }
  }

  /**
   * Makes a prepared pairing the current one, in one transaction: its ids, its webhook key and a cursor
   * that starts over (a new channel numbers its events from scratch). Whoever streams the old channel
   * must have stopped. Returns what it replaced, for `retire`.
   */
  switchTo(prepared: PreparedPairing): ReplacedPairing {
    return this.store.transaction(() => {
      const replaced: ReplacedPairing = { record: this.current(), keys: this.webhookKeys() }
      this.store.settings.set(PAIRING_SETTING, prepared.record)
      this.store.settings.set(WEBHOOKS_SETTING, [{ webhookId: prepared.webhookId, retireAt: null, webhookDeleted: false } satisfies WebhookKey])
      this.store.webhookEvents.resetCursor()
      return replaced
    })
  }

  /**
   * Undoes a replaced pairing once the new one is in use: deletes its webhooks (Postproxy stops sending to
   * the old channel) and forgets their secrets, revokes its device when the admin token works on its relay,
   * and forgets its device token. Best effort — the switch already happened: a webhook that cannot be deleted
   * now stays listed as retired, so `retireExpired()` tries again; other problems are reported and logged.
   */
  async retire(replaced: ReplacedPairing, input: { adminToken?: string } = {}): Promise<UnpairReport> {
    const report: UnpairReport = { webhooksDeleted: [], deviceRevoked: false, problems: [] }
    const stillDelivering: WebhookKey[] = []
    for (const key of replaced.keys) {
      if (!key.webhookDeleted) {
        try {
          await this.deleteWebhookIfPresent(key.webhookId)
          report.webhooksDeleted.push(key.webhookId)
        } catch (error) {
          report.problems.push(`The old Postproxy webhook ${key.webhookId} could not be deleted yet (${describe(error)}); dmdesk will try again.`)
          stillDelivering.push({ ...key, retireAt: key.retireAt ?? new Date(this.now()).toISOString() })
          continue
        }
      }
      await this.secrets.delete(webhookSecretName(key.webhookId))
    }
    if (stillDelivering.length > 0) this.store.settings.set(WEBHOOKS_SETTING, [...this.webhookKeys(), ...stillDelivering])
    const old = replaced.record
    if (old) {
      if (input.adminToken) {
        try {
          await new RelayAdminClient({ relayUrl: old.relayUrl, adminToken: input.adminToken, fetch: this.fetchImpl }).deleteDevice(old.channelId, old.deviceId)
          report.deviceRevoked = true
        } catch (error) {
          report.problems.push(`The relay at ${old.relayUrl} could not be told to forget this computer's old device ${old.deviceId} (${describe(error)}).`)
        }
      }
      await this.secrets.delete(deviceTokenName(old.deviceId))
    }
    for (const problem of report.problems) this.log(problem)
    return report
  }

  /**
   * Deletes the webhooks (Postproxy stops sending), revokes the device on the relay when an admin token is
   * given, and removes the secrets and the settings. Without `force`, a failing deletion stops here with
   * nothing removed locally, so it can be tried again.
   */
  async unpair(input: { adminToken?: string; force?: boolean } = {}): Promise<UnpairReport> {
    const report: UnpairReport = { webhooksDeleted: [], deviceRevoked: false, problems: [] }
    const pairing = this.current()
    const keys = this.webhookKeys()
    const fail = (problem: string, error: unknown): void => {
      if (!input.force) throw error
      report.problems.push(problem)
    }
    for (const key of keys) {
      if (key.webhookDeleted) continue
      try {
        await this.deleteWebhookIfPresent(key.webhookId)
        report.webhooksDeleted.push(key.webhookId)
      } catch (error) {
        fail(`The Postproxy webhook ${key.webhookId} could not be deleted; remove it in Postproxy to stop events going to the relay.`, error)
      }
    }
    if (pairing && input.adminToken) {
      try {
        await new RelayAdminClient({ relayUrl: pairing.relayUrl, adminToken: input.adminToken, fetch: this.fetchImpl }).deleteDevice(pairing.channelId, pairing.deviceId)
        report.deviceRevoked = true
      } catch (error) {
        fail(`The relay could not be told to forget this computer (device ${pairing.deviceId}).`, error)
      }
    }
    if (pairing) await this.secrets.delete(deviceTokenName(pairing.deviceId))
    for (const key of keys) await this.secrets.delete(webhookSecretName(key.webhookId))
    this.store.transaction(() => {
      this.store.settings.delete(PAIRING_SETTING)
      this.store.settings.delete(WEBHOOKS_SETTING)
      this.store.webhookEvents.resetCursor()
    })
    return report
  }

  /**
   * Starts a secret rotation: a new webhook (new secret) on the same ingest URL. The current one keeps
   * delivering for `overlapMs`, then `retireExpired()` deletes it. Returns the new webhook's id.
   */
  async rotateWebhookSecret(input: { overlapMs?: number } = {}): Promise<{ webhookId: string }> {
    const keys = this.webhookKeys()
    const current = keys.find((key) => key.retireAt === null)
    if (!this.current() || !current) throw new PairingError('This computer is not paired with a relay, so there is no webhook secret to rotate.')
    const existing = await this.client.getWebhook(current.webhookId)
    const webhook = await this.client.createWebhook({ url: existing.url, events: existing.events, description: WEBHOOK_DESCRIPTION })
    if (!webhook.secret) {
      await this.client.deleteWebhook(webhook.id).catch(() => undefined)
      throw new PairingError('Postproxy did not return a signing secret for the new webhook; the current one stays in use.')
    }
    await this.secrets.set(webhookSecretName(webhook.id), webhook.secret)
    const retireAt = new Date(this.now() + (input.overlapMs ?? DEFAULT_ROTATION_OVERLAP_MS)).toISOString()
    this.store.settings.set(WEBHOOKS_SETTING, [
      ...keys.map((key) => (key.webhookId === current.webhookId ? { ...key, retireAt } : key)),
      { webhookId: webhook.id, retireAt: null, webhookDeleted: false } satisfies WebhookKey
    ])
    return { webhookId: webhook.id }
  }

  /** Deletes webhooks whose overlap ended, and forgets secrets whose grace period ended. */
  async retireExpired(): Promise<{ webhooksDeleted: string[]; secretsForgotten: string[] }> {
    const now = this.now()
    const result = { webhooksDeleted: [] as string[], secretsForgotten: [] as string[] }
    const kept: WebhookKey[] = []
    for (const key of this.webhookKeys()) {
      const retireAt = key.retireAt === null ? null : Date.parse(key.retireAt)
      if (retireAt === null || retireAt > now) {
        kept.push(key)
        continue
      }
      let next = key
      if (!key.webhookDeleted) {
        try {
          await this.deleteWebhookIfPresent(key.webhookId)
          result.webhooksDeleted.push(key.webhookId)
          next = { ...key, webhookDeleted: true }
        } catch (error) {
          this.log(`could not delete retired webhook ${key.webhookId} yet: ${error instanceof Error ? error.message : String(error)}`)
        }
      }
      if (next.webhookDeleted && retireAt + this.secretGraceMs <= now) {
        await this.secrets.delete(webhookSecretName(key.webhookId))
        result.secretsForgotten.push(key.webhookId)
        continue
      }
      kept.push(next)
    }
    this.store.settings.set(WEBHOOKS_SETTING, kept)
    return result
  }

  private async keepSecret(kept: SecretName[], name: SecretName, value: string): Promise<void> {
    await this.secrets.set(name, value)
    kept.push(name)
  }

  private async deleteWebhookIfPresent(webhookId: string): Promise<void> {
    try {
      await this.client.deleteWebhook(webhookId)
    } catch (error) {
      if (isPostproxyError(error) && error.status === 404) return
      throw error
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
