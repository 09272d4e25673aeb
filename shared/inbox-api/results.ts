// How every InboxApi call answers: a value, or an error carried as data with a message for the creator.
// Feature modules of the API (shared/inbox-api/*.ts) share these.
import { z } from 'zod'

/** Errors cross the bridge as data, with a message for the creator. */
export interface InboxError {
  code: 'invalid_argument' | 'not_signed_in' | 'not_found' | 'window_closed' | 'profile_unavailable' | 'media_rejected' | 'unauthorized' | 'network' | 'internal'
  message: string
}

export type InboxResult<T> = { ok: true; value: T } | { ok: false; error: InboxError }

/** An id argument (a chat, a message, a comment…): opaque text of sane length. */
export const idArg = z.string().min(1).max(200)
