// How a participant is named and described in rows, headers and notifications.
import type { Participant } from '../../../../shared/inbox-api.ts'
import { INSTAGRAM, unnamedPerson } from '../../../../shared/platforms.ts'

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 })

// A person without a name or handle is a "<network> user" of the chat's `platform` ("Facebook user" on
// Messenger); callers that don't pass it yet get Instagram's word, as before platforms were told apart.

/** The handle people know them by: "@jane", else their name, else a neutral word. */
export function participantHandle(p: Participant, platform: string = INSTAGRAM): string {
  if (p.username) return `@${p.username}`
  return p.name ?? unnamedPerson(platform)
}

/** The main line of a row: their name when they have one, else the handle. */
export function participantTitle(p: Participant, platform: string = INSTAGRAM): string {
  return p.name ?? (p.username ? `@${p.username}` : unnamedPerson(platform))
}

/** For notifications: the username as a person types it, else their name. */
export function participantLabel(p: Participant, platform: string = INSTAGRAM): string {
  return p.username ?? p.name ?? unnamedPerson(platform)
}

/** "1.2M followers", "950 followers", "1 follower". */
export function followerCountText(count: number): string {
  return `${compact.format(count)} ${count === 1 ? 'follower' : 'followers'}`
}

export function initialsOf(p: Participant): string {
  const source = p.name ?? p.username ?? '?'
  const words = source.replace(/[^\p{L}\p{N}\s]/gu, ' ').trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) return '?'
  // By code point, not UTF-16 unit: 𝓙𝓪𝓷𝓮-style names (common on Instagram) must not be cut in half.
  const letters = (word: string) => Array.from(word)
  return (words.length === 1 ? letters(words[0]).slice(0, 2).join('') : letters(words[0])[0] + letters(words[1])[0]).toUpperCase()
}

/** A stable hue per participant, so an avatar keeps its colour across sessions. */
export function hueOf(key: string): number {
  let hash = 0
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0
  return Math.abs(hash) % 360
}
