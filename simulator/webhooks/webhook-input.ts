// Validation of the webhook API's create and update bodies. The messages become the 422
// `errors[]` a person reads, so each one names the field and says what to do.
import { WebhookInputError, type WebhookInput } from '../contracts.ts'
import { INBOX_EVENT_TYPES } from '../../shared/postproxy.ts'
import { ALL_EVENTS, isKnownEventName } from './subscriptions.ts'

const DESCRIPTION_MAX_LENGTH = 500

export interface WebhookFields {
  url: string
  events: string[]
  description: string | null
  enabled: boolean
}

function checkUrl(value: unknown, errors: string[]): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    errors.push("url can't be blank: enter the address that should receive the events.")
    return undefined
  }
  if (typeof value !== 'string') {
    errors.push('url must be a web address such as https://example.com/webhooks.')
    return undefined
  }
  let parsed: URL
  try {
    parsed = new URL(value.trim())
  } catch {
    errors.push(`url "${value}" is not a valid web address; use one such as https://example.com/webhooks.`)
    return undefined
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    errors.push(`url must start with http:// or https:// (got ${parsed.protocol.replace(/:$/, '')}).`)
    return undefined
  }
  return value.trim()
}

function checkEvents(value: unknown, errors: string[]): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    errors.push(`events can't be empty: list the events to receive, for example ["message.received"], or ["${ALL_EVENTS}"] for all of them.`)
    return undefined
  }
  if (!value.every((name): name is string => typeof name === 'string')) {
    errors.push('events must be a list of event names written as text, for example ["message.received"].')
    return undefined
  }
  const unknown = value.filter((name) => !isKnownEventName(name))
  if (unknown.length > 0) {
    const quoted = unknown.map((name) => `"${name}"`).join(', ')
    errors.push(
      `events contains ${unknown.length === 1 ? 'an unknown event' : 'unknown events'} ${quoted}; ` +
        `use ${INBOX_EVENT_TYPES.join(', ')}, another Postproxy event (post.*, platform_post.*, profile.*, media.failed, ` +
        `profile_comment.created), or "${ALL_EVENTS}" for all events.`
    )
    return undefined
  }
  return [...new Set(value)]
}

function checkDescription(value: unknown, errors: string[]): string | null | undefined {
  if (value === undefined) return undefined
  if (value === null) return null
  if (typeof value !== 'string') {
    errors.push('description must be text.')
    return undefined
  }
  if (value.length > DESCRIPTION_MAX_LENGTH) {
    errors.push(`description can be at most ${DESCRIPTION_MAX_LENGTH} characters; this one has ${value.length}.`)
    return undefined
  }
  return value
}

function checkEnabled(value: unknown, errors: string[]): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') {
    errors.push('enabled must be true or false.')
    return undefined
  }
  return value
}

/** A complete, valid webhook from a create body; throws `WebhookInputError` listing every problem. */
export function validateNewWebhook(input: WebhookInput): WebhookFields {
  const body = (input ?? {}) as unknown as Record<string, unknown>
  const errors: string[] = []
  const url = checkUrl(body.url, errors)
  const events = checkEvents(body.events, errors)
  const description = checkDescription(body.description, errors)
  const enabled = checkEnabled(body.enabled, errors)
  if (errors.length > 0 || url === undefined || events === undefined) throw new WebhookInputError(errors)
  return { url, events, description: description ?? null, enabled: enabled ?? true }
}

/** The valid fields of an update body (absent fields stay as they are); throws `WebhookInputError`. */
export function validateWebhookPatch(patch: Partial<WebhookInput>): Partial<WebhookFields> {
  const body = (patch ?? {}) as unknown as Record<string, unknown>
  const errors: string[] = []
  const fields: Partial<WebhookFields> = {}
  if (body.url !== undefined) fields.url = checkUrl(body.url, errors)
  if (body.events !== undefined) fields.events = checkEvents(body.events, errors)
  if (body.description !== undefined) fields.description = checkDescription(body.description, errors)
  if (body.enabled !== undefined) fields.enabled = checkEnabled(body.enabled, errors)
  if (errors.length > 0) throw new WebhookInputError(errors)
  return fields
}
