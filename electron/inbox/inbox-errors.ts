// Whatever an inbox call throws, as the `InboxError` the renderer shows: expected failures keep their
// words; anything unexpected becomes one calm sentence (details never cross the bridge).
import type { InboxError } from '../../shared/inbox-api.ts'
import { InboxFailure } from './inbox-failure.ts'
import { isPostproxyError } from './postproxy/index.ts'
import { SecretStoreError } from './secrets/index.ts'
import { StoreError } from './store/index.ts'
import { inboxErrorFromTunnel } from './tunnel/index.ts'

export const UNEXPECTED_ERROR_MESSAGE = 'Something went wrong inside dmdesk. Your messages are safe; try again.'

export function toInboxError(error: unknown): InboxError {
  if (error instanceof InboxFailure) return error.toInboxError()
  if (isPostproxyError(error)) {
    const code =
      error.kind === 'unauthorized'
        ? 'unauthorized'
        : error.kind === 'network' || error.kind === 'timeout'
          ? 'network'
          : error.kind === 'not_found'
            ? 'not_found'
            : 'internal'
    return { code, message: error.userMessage }
  }
  if (error instanceof StoreError || error instanceof SecretStoreError) return { code: 'internal', message: error.userMessage }
  const tunnelError = inboxErrorFromTunnel(error)
  if (tunnelError) return tunnelError
  return { code: 'internal', message: UNEXPECTED_ERROR_MESSAGE }
}
