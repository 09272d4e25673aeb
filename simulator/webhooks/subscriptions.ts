// Which event names a webhook may subscribe to, and whether a subscription matches an event.
// Every type in the SDKs' list is known by name (shared POSTPROXY_EVENT_TYPES: the DM events,
// `comment.created`, `media.failed`, `profile_comment.created`, `post.*`, `platform_post.*`,
// `profile.*`), and "*" means every event.
//
// Postproxy adds event types over time (the SDK changelogs show new ones in most releases), so a
// subscription to a new action of a family that is not about DMs (`post.deleted`, `comment.hidden`)
// is accepted rather than refused: subscribing early is harmless, and a real Postproxy that already
// knows the event would accept it too. The DM families (`message.*`, `reaction.*`, `referral.*`) are
// documented exactly, so there an unknown action is almost certainly a typo and is refused.
import { POSTPROXY_EVENT_TYPES } from '../../shared/postproxy.ts'

export const ALL_EVENTS = '*'

const KNOWN_EVENTS: ReadonlySet<string> = new Set(POSTPROXY_EVENT_TYPES)
const OPEN_FAMILY_PATTERN = /^(post|platform_post|profile|comment|media|profile_comment)\.[a-z][a-z_]*$/

export function isKnownEventName(name: string): boolean {
  return name === ALL_EVENTS || KNOWN_EVENTS.has(name) || OPEN_FAMILY_PATTERN.test(name)
}

export function isSubscribed(subscribedEvents: readonly string[], eventType: string): boolean {
  return subscribedEvents.includes(ALL_EVENTS) || subscribedEvents.includes(eventType)
}
