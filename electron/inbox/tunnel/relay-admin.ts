// The relay's admin calls the desktop makes while pairing and unpairing (relay/README.md, "HTTP API").
// The admin token is used for these calls only and never kept: pairing ends with a device token, which
// can read this one channel and nothing else.
import { z } from 'zod'
import { relayAddressProblem } from '../../../shared/relay-address.ts'

export const CreatedChannelSchema = z.looseObject({ channel_id: z.string().min(1), ingest_url: z.string().min(1) })
export type CreatedChannel = z.infer<typeof CreatedChannelSchema>

export const CreatedDeviceSchema = z.looseObject({ device_id: z.string().min(1), token: z.string().min(1) })
export type CreatedDevice = z.infer<typeof CreatedDeviceSchema>

/** What went wrong, for callers that branch (the creator reads `userMessage`). */
export type RelayAdminProblem =
  /** The address is not one dmdesk pairs with (not a URL, or http:// to another machine). */
  | 'bad_address'
  /** No answer: wrong address, relay down, no network, or too slow. */
  | 'unreachable'
  /** 401/403: the admin token is wrong. */
  | 'refused_token'
  /** It answered, but not as a dmdesk relay does. */
  | 'not_a_relay'
  /** The relay answered with another error. */
  | 'relay_error'

/** A failure with a sentence for the creator (`userMessage`). */
export class RelayAdminError extends Error {
  readonly userMessage: string
  readonly status: number | null
  readonly problem: RelayAdminProblem

  constructor(problem: RelayAdminProblem, userMessage: string, status: number | null, options?: { cause?: unknown; detail?: string }) {
    super(options?.detail ? `${userMessage} (${options.detail})` : userMessage, { cause: options?.cause })
    this.name = 'RelayAdminError'
    this.problem = problem
    this.userMessage = userMessage
    this.status = status
  }
}

export interface RelayAdminOptions {
  relayUrl: string
  adminToken: string
  fetch?: typeof globalThis.fetch
  timeoutMs?: number
}

export class RelayAdminClient {
  readonly relayUrl: string
  private readonly adminToken: string
  private readonly fetchImpl: typeof globalThis.fetch
  private readonly timeoutMs: number

  constructor(options: RelayAdminOptions) {
    this.relayUrl = normaliseRelayUrl(options.relayUrl)
    this.adminToken = options.adminToken
    this.fetchImpl = options.fetch ?? globalThis.fetch
    this.timeoutMs = options.timeoutMs ?? 15_000
  }

  async createChannel(): Promise<CreatedChannel> {
    const body = await this.call('POST', '/v1/channels', [201])
    return parse(CreatedChannelSchema, body, 'channel')
  }

  async createDevice(channelId: string): Promise<CreatedDevice> {
    const body = await this.call('POST', `/v1/channels/${encodeURIComponent(channelId)}/devices`, [201])
    return parse(CreatedDeviceSchema, body, 'device')
  }

  /** Revokes a device: its token is refused from then on. An unknown device counts as done. */
  async deleteDevice(channelId: string, deviceId: string): Promise<void> {
    await this.call('DELETE', `/v1/channels/${encodeURIComponent(channelId)}/devices/${encodeURIComponent(deviceId)}`, [204, 404])
  }

  /** Deletes a channel with its stored events. An unknown channel counts as done. */
  async deleteChannel(channelId: string): Promise<void> {
    await this.call('DELETE', `/v1/channels/${encodeURIComponent(channelId)}`, [204, 404])
  }

  private async call(method: string, path: string, expected: number[]): Promise<unknown> {
    let response: Response
    try {
      response = await this.fetchImpl(this.relayUrl + path, {
        method,
        headers: { authorization: `Bearer ${this.adminToken}` },
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error'
      })
    } catch (error) {
      throw new RelayAdminError(
        'unreachable',
        `dmdesk couldn't reach the relay at ${this.relayUrl}. Check the address, and that the relay is running and reachable from this computer.`,
        null,
        { cause: error, detail: `${method} ${path}` }
      )
    }
    const text = await response.text().catch(() => '')
    if (response.status === 401 || response.status === 403) {
      throw new RelayAdminError('refused_token', 'The relay refused the admin token. Check the token and try again.', response.status, {
        detail: `${method} ${path}`
      })
    }
    if (!expected.includes(response.status)) {
      throw new RelayAdminError('relay_error', `The relay answered with an error (${response.status}): ${relayErrorText(text)}`, response.status, {
        detail: `${method} ${path}`
      })
    }
    if (text === '') return null
    try {
      return JSON.parse(text)
    } catch {
      throw new RelayAdminError('not_a_relay', 'The relay sent an answer dmdesk does not understand. Is this address a dmdesk relay?', response.status)
    }
  }
}

/**
 * `https://relay.example.com/` -> `https://relay.example.com`. Refused before anything is sent: anything
 * but https, except http to this computer (shared/relay-address.ts).
 */
export function normaliseRelayUrl(value: string): string {
  const problem = relayAddressProblem(value)
  if (problem !== null) throw new RelayAdminError('bad_address', problem, null)
  return new URL(value.trim()).toString().replace(/\/+$/, '')
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw new RelayAdminError('not_a_relay', `The relay's answer about the new ${what} is not what dmdesk expects. Is this address a dmdesk relay?`, null)
  return parsed.data
}

function relayErrorText(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown }
    if (typeof parsed.error === 'string') return parsed.error
  } catch {
    // not JSON
  }
  return text.slice(0, 200) || 'no details'
}
