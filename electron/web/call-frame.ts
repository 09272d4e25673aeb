// The check of each call frame the page sends (shared/bridge-protocol.ts); anything else closes the socket.
// Written out rather than as a zod schema: web mode serves the page before it loads the core (and zod
// with it), and the few lines below are all a frame needs.
import type { CallFrame } from '../../shared/bridge-protocol.ts'

const MAX_CALL_NAME = 100

/** The frame in `text`, or null when it is not JSON of a call frame. Unknown fields are dropped. */
export function parseCallFrame(text: string): CallFrame | null {
  let frame: unknown
  try {
    frame = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return null
  const { type, id, name, args } = frame as Record<string, unknown>
  if (type !== 'call' || typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return null
  if (typeof name !== 'string' || name.length > MAX_CALL_NAME) return null
  return args === undefined ? { type, id, name } : { type, id, name, args }
}
