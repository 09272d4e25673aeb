// Which event names a webhook may subscribe to, and whether a subscription matches an event.
// DM events are known exactly (shared DM_EVENT_TYPES). Postproxy also has non-DM families (posts,
// platform posts, profiles, comments) whose full list is not published, so any `<family>.<action>`
// name in those families is accepted rather than guessed at. "*" means every event.
import { DM_EVENT_TYPES } from '../../shared/postproxy.ts'

export const ALL_EVENTS = '*'

const DM_EVENTS: ReadonlySet<string> = new Set(DM_EVENT_TYPES)
const NON_DM_EVENT_PATTERN = /^(post|platform_post|profile|comment)\.[a-z][a-z_]*$/

export function isKnownEventName(name: string): boolean {
  return name === ALL_EVENTS || DM_EVENTS.has(name) || NON_DM_EVENT_PATTERN.test(name)
}

export function isSubscribed(subscribedEvents: readonly string[], eventType: string): boolean {
  return subscribedEvents.includes(ALL_EVENTS) || subscribedEvents.includes(eventType)
}
