// How often to ask Postproxy for changes when nothing else tells us. Webhooks through the relay
// tunnel are the fast path; polling is the fallback, so its pace follows what the creator is doing
// and whether the tunnel is up, and it stops spending requests while offline or failing.

export interface PollConditions {
  /** The app window is focused. */
  focused: boolean
  /** The machine has been idle (no input) for a while, or the window is hidden. */
  idle: boolean
  online: boolean
  /** The relay tunnel is connected: events arrive on their own, polling only repairs gaps. */
  tunnelConnected: boolean
  /** Failed polls in a row since the last success. */
  consecutiveFailures: number
}

export const POLL_INTERVALS_MS = {
  focused: 10_000,
  background: 60_000,
  idle: 5 * 60_000,
  /** The longest a failing poll backs off to. */
  maxBackoff: 10 * 60_000
} as const

/** The plain interval for these conditions, before failures are counted. */
export function baseInterval(c: PollConditions): number {
  if (c.idle) return POLL_INTERVALS_MS.idle
  return c.focused ? POLL_INTERVALS_MS.focused : POLL_INTERVALS_MS.background
}

/**
 * Milliseconds until the next poll, or null when no timed poll is due: while offline (the network's
 * return triggers a poll) and while the tunnel is connected — events arrive on their own then, and the
 * tunnel's own reconcile every 15 min (RELAY.md) is the one scheduled poll, so an inbox left open all day
 * asks Postproxy nothing more. Failures double the interval up to `maxBackoff`; `random` in [0, 1)
 * spreads clients by ±20 % so that many desktops recovering together don't poll in lockstep.
 */
export function nextPollDelay(c: PollConditions, random: () => number = Math.random): number | null {
  if (!c.online || c.tunnelConnected) return null
  const base = baseInterval(c)
  const backedOff = c.consecutiveFailures > 0 ? Math.min(base * 2 ** Math.min(c.consecutiveFailures, 10), Math.max(base, POLL_INTERVALS_MS.maxBackoff)) : base
  return Math.round(backedOff * (0.8 + 0.4 * random()))
}
