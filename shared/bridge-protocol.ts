// Web mode's wire protocol: the renderer and the core exchange these JSON frames over one
// loopback WebSocket. (In Electron the same calls go through the preload's IPC bridge.) The core checks
// every call frame with electron/web/call-frame.ts; this file stays free of zod, which the renderer
// would otherwise load and build its schemas at every start.

export interface CallFrame {
  type: 'call'
  /** Chosen by the renderer; echoed in the result. */
  id: number
  name: string
  args?: unknown
}

/** `result` holds an `InboxResult`: `{ok: true, value}` or `{ok: false, error}`. */
export type ResultFrame = { type: 'result'; id: number; result: unknown }

/** An `InboxEvents` push. */
export type EventFrame = { type: 'event'; name: string; payload: unknown }

export type ServerFrame = ResultFrame | EventFrame

/** The query parameter that carries web mode's per-run token. */
export const WEB_TOKEN_PARAM = 'token'
/** The WebSocket path. */
export const BRIDGE_PATH = '/bridge'
