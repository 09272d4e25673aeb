import type { InboxError } from '../../shared/inbox-api.ts'

/**
 * An expected failure of an inbox operation, carrying what the creator should read. The bridges
 * turn it into `{ok: false, error}`; anything else thrown becomes a generic `internal` error.
 */
export class InboxFailure extends Error {
  readonly code: InboxError['code']
  readonly userMessage: string

  constructor(code: InboxError['code'], userMessage: string, cause?: unknown) {
    super(userMessage, { cause })
    this.name = 'InboxFailure'
    this.code = code
    this.userMessage = userMessage
  }

  toInboxError(): InboxError {
    return { code: this.code, message: this.userMessage }
  }
}
