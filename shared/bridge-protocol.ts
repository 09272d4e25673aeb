// Web mode's wire protocol: the renderer and the core exchange these JSON frames over one
// loopback WebSocket. (In Electron the same calls go through the preload's IPC bridge.)
import { z } from 'zod'

export const CallFrameSchema = z.object({
  type: z.literal('call'),
  /** Chosen by the renderer; echoed in the result. */
  id: z.number().int().nonnegative(),
  name: z.string().max(100),
  args: z.unknown().optional()
})
export type CallFrame = z.infer<typeof CallFrameSchema>

/** `result` holds an `InboxResult`: `{ok: true, value}` or `{ok: false, error}`. */
export type ResultFrame = { type: 'result'; id: number; result: unknown }

/** An `InboxEvents` push. */
export type EventFrame = { type: 'event'; name: string; payload: unknown }

export type ServerFrame = ResultFrame | EventFrame

/** The query parameter that carries web mode's per-run token. */
export const WEB_TOKEN_PARAM = 'token'
/** The WebSocket path. */
export const BRIDGE_PATH = '/bridge'
