// One error type for everything the local cache refuses or cannot do. `userMessage` is what the app shows a
// creator; `message` is what a developer reads in logs.

export type StoreErrorCode =
  | 'newer_version'
  | 'not_a_database'
  | 'migration_failed'
  | 'disk_full'
  | 'busy'
  | 'io_error'
  | 'read_only'
  | 'invalid_argument'

export class StoreError extends Error {
  readonly code: StoreErrorCode
  readonly userMessage: string

  constructor(code: StoreErrorCode, userMessage: string, options?: { cause?: unknown; detail?: string }) {
    super(options?.detail ? `${userMessage} (${options.detail})` : userMessage, { cause: options?.cause })
    this.name = 'StoreError'
    this.code = code
    this.userMessage = userMessage
  }
}

type SqliteLikeError = { code?: unknown; message?: unknown }

/**
 * Failures of the disk or the file itself become a StoreError a person can act on; anything else
 * (a bug, a constraint we broke) is returned unchanged so it stays loud.
 */
export function storeErrorFromSqlite(cause: unknown): unknown {
  if (cause instanceof StoreError || typeof cause !== 'object' || cause === null) return cause
  const code = String((cause as SqliteLikeError).code ?? '')
  if (code.startsWith('SQLITE_FULL')) {
    return new StoreError('disk_full', 'Your disk is full, so dmdesk could not save your messages. Free some space and try again.', { cause })
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('busy', 'Another copy of dmdesk seems to be using your data. Close it and try again.', { cause })
  }
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('not_a_database', "dmdesk's saved data is damaged and could not be read. Your messages are still with Postproxy; the app can download them again.", { cause })
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return new StoreError('read_only', 'dmdesk cannot write to its data folder. Check that the folder exists and that you have permission to change it.', { cause })
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new StoreError('io_error', 'dmdesk could not read or write its saved data because of a disk problem.', { cause })
  }
  return cause
}
