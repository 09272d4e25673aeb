// The variables a saved reply may hold, filled from the chat it is inserted into. When the chat doesn't
// know a value (no name on the profile), a friendly fallback stands in, and the composer says so before
// anything is sent.

export const SAVED_REPLY_VARIABLES = {
  first_name: 'Their first name (from their profile name)',
  username: 'Their Instagram username, without the @ (Messenger people have none)'
} as const

export type SavedReplyVariable = keyof typeof SAVED_REPLY_VARIABLES

/** How a sentence names each variable: "first name isn't known". */
export const VARIABLE_WORDS: Record<SavedReplyVariable, string> = { first_name: 'first name', username: 'username' }

/** What stands in for a value the chat doesn't know: "Hi {first_name}!" reads "Hi there!". */
export const VARIABLE_FALLBACK = 'there'

const VARIABLE_PATTERN = /\{(first_name|username)\}/g

export interface VariableSource {
  name: string | null
  username: string | null
}

export interface ExpandedReply {
  text: string
  /** Variables that were in the text but unknown for this chat, so the fallback was used. */
  fellBack: SavedReplyVariable[]
}

function firstNameOf(name: string | null): string | null {
  const first = name?.trim().split(/\s+/)[0] ?? ''
  return first === '' ? null : first
}

/** Fills {first_name} and {username}; any other text in braces stays as it is. */
export function expandSavedReply(text: string, source: VariableSource): ExpandedReply {
  const values: Record<SavedReplyVariable, string | null> = {
    first_name: firstNameOf(source.name),
    username: source.username?.trim().replace(/^@/, '') || null
  }
  const fellBack = new Set<SavedReplyVariable>()
  const expanded = text.replace(VARIABLE_PATTERN, (_, variable: SavedReplyVariable) => {
    const value = values[variable]
    if (value === null) fellBack.add(variable)
    return value ?? VARIABLE_FALLBACK
  })
  return { text: expanded, fellBack: [...fellBack] }
}

/** The variables a text uses, each once, in order of first use. */
export function variablesIn(text: string): SavedReplyVariable[] {
  return [...new Set([...text.matchAll(VARIABLE_PATTERN)].map((match) => match[1] as SavedReplyVariable))]
}
