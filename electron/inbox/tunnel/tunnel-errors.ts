// How a failed tunnel operation (pairing, unpairing, rotating) reads across the InboxApi bridge: the relay's
// and the pairing's own sentences, with a code for the kind of fix (another address or token, the network).
import type { InboxError } from '../../../shared/inbox-api.ts'
import { PairingError } from './pairing.ts'
import { RelayAdminError, type RelayAdminProblem } from './relay-admin.ts'

const CODES: Record<RelayAdminProblem, InboxError['code']> = {
  bad_address: 'invalid_argument',
  refused_token: 'invalid_argument',
  not_a_relay: 'invalid_argument',
  unreachable: 'network',
  relay_error: 'internal'
}

/** The InboxError for a tunnel failure; null when `error` is not one. */
export function inboxErrorFromTunnel(error: unknown): InboxError | null {
  if (error instanceof RelayAdminError) return { code: CODES[error.problem], message: error.userMessage }
  if (error instanceof PairingError) return { code: 'internal', message: error.userMessage }
  return null
}
