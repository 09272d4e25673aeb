// Loss across forced reconnects, ours and smee-client's side by side on the same events: the simulator
// sends N messages at a fixed rate to one relay channel, read by two readers at once —
// - our tunnel (its own device, the relay's protocol, resume from the store's cursor), and
// - smee-client 5 (stock, unmodified) on the relay's smee-compatible stream of the same channel, forwarding
//   to a loopback receiver —
// each through its own loopback TCP proxy. The proxies are cut together, `cuts` times, evenly spread over
// the sending (so every cut falls while messages flow, and the phase lasts as long as the sending): every
// open connection destroyed, new ones refused for `downMs`, the way a dropped Wi-Fi does. A reader still
// reconnecting from the previous cut when the next one comes is noted (the cut then breaks no live stream
// of it). Lost = sent messages that never reached the store / the receiver.
import { EventEmitter } from 'node:events'
import { SmeeClient } from 'smee-client'
import type { Tunnel } from '../../../electron/inbox/tunnel/tunnel.ts'
import type { FrameOutcome } from '../../../electron/inbox/tunnel/relay-client.ts'
import { until } from '../../integration/tunnel/tunnel-world.ts'
import { startSwitchableProxy, type SwitchableProxy } from '../../support/switchable-proxy.ts'
import { openBenchDesktop } from './desktop.ts'
import { monotonicMs } from './monotonic-clock.ts'
import { SmeeReceiver } from './smee-receiver.ts'
import { adminCall } from './admin-call.ts'
import type { SimulatorProcess } from './simulator-process.ts'

export interface ForcedReconnectOptions {
  sim: SimulatorProcess
  relayUrl: string
  adminToken: string
  dir: string
  events: number
  ratePerSec: number
  cuts: number
  downMs: number
}

export interface ForcedReconnectResult {
  sent: number
  cutsWhileSending: number
  lostOurs: number
  lostSmee: number
  /** Frames our tunnel got again after a reconnect and recognised (applied once). */
  ourRedeliveries: number
  ourConnects: number
  /** The waits our tunnel announced before each reconnect attempt, in seconds. */
  ourReconnectWaits: number[]
  cutEverySeconds: number
  /** Cuts that found each reader connected (the others hit a reader still reconnecting). */
  cutsBreakingOurs: number
  cutsBreakingSmee: number
  smeeConnects: number
  smeeForwards: number
  /** What smee-client logged as errors, counted by message. */
  smeeErrors: Record<string, number>
  /** Last message sent -> our store complete. */
  ourSettleSeconds: number
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

export async function measureForcedReconnects(options: ForcedReconnectOptions): Promise<ForcedReconnectResult> {
  const { sim, relayUrl, adminToken } = options
  const cleanup: (() => Promise<unknown> | unknown)[] = []
  try {
    const ourProxy: SwitchableProxy = await startSwitchableProxy(relayUrl)
    cleanup.push(() => ourProxy.close())
    const smeeProxy: SwitchableProxy = await startSwitchableProxy(relayUrl)
    cleanup.push(() => smeeProxy.close())

    // Our desktop pairs through its proxy, so the stream and the acks go through it; the simulator's
    // webhooks reach the relay directly (the ingest URL is the relay's own).
    const desktop = openBenchDesktop(options.dir, 'reconnects', sim)
    cleanup.push(() => desktop.close())
    const record = await desktop.pairing.pair({ relayUrl: ourProxy.url, adminToken })
    const smeeDevice = (await adminCall(relayUrl, adminToken, 'POST', `/v1/channels/${record.channelId}/devices`)) as { token: string }

    const receiver = new SmeeReceiver()
    await receiver.listen()
    cleanup.push(() => receiver.close())
    const smeeState = new EventEmitter<{ change: [] }>()
    let smeeConnected = false
    let smeeConnects = 0
    const smeeErrors: Record<string, number> = {}
    const smee = new SmeeClient({
      source: `${smeeProxy.url}/smee/${smeeDevice.token}`,
      target: receiver.url,
      logger: {
        info: () => {},
        error: (...args: unknown[]) => {
          const text = args.map((arg) => (arg instanceof Error ? arg.message : typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')
          smeeErrors[text] = (smeeErrors[text] ?? 0) + 1
        }
      }
      // Not `maxConnectionTimeout`: smee-client 5 never clears that timer, so it stops the client for good
      // if the stream happens to be reconnecting when the timer fires. Stock settings; bounded below instead.
    })
    smee.onopen = () => {
      smeeConnected = true
      smeeConnects++
      smeeState.emit('change')
    }
    smee.onerror = () => {
      smeeConnected = false
      smeeState.emit('change')
    }
    cleanup.push(() => smee.stop())
    void smee.start().catch(() => undefined)
    await until(smeeState, ['change'], () => smeeConnected, 10_000, 'smee-client to connect')

    const tunnel: Tunnel = desktop.newTunnel()
    cleanup.push(() => tunnel.stop())
    let ourConnects = 0
    let ourRedeliveries = 0
    let lastSeq = 0
    const ourReconnectWaits: number[] = []
    tunnel.on('status', (status) => {
      if (status.state === 'connected') ourConnects++
      if (status.state === 'reconnecting') {
        const waitS = (Date.parse(status.nextAttemptAt) - Date.now()) / 1000
        if (waitS > 0.05) ourReconnectWaits.push(waitS)
      }
    })
    tunnel.on('frame', (frame: FrameOutcome) => {
      if (frame.result === 'duplicate') ourRedeliveries++
      if (frame.seq !== null) lastSeq = Math.max(lastSeq, frame.seq)
    })
    await tunnel.start()
    await until(tunnel, ['status'], () => tunnel.status.state === 'connected', 10_000, 'our tunnel to connect')

    const sendMs = (options.events / options.ratePerSec) * 1000
    // From 2 s after the first message to 2 s before the last one.
    const firstCutMs = Math.min(2000, sendMs / 4)
    const cutEveryMs = (sendMs - 2 * firstCutMs) / Math.max(1, options.cuts - 1)
    const sendStartedMs = monotonicMs()
    let sending = true
    const sent = sim.inject({ count: options.events, ratePerSec: options.ratePerSec, participantPrefix: 'reconnect_buyer', participants: 20 }, 120_000)
    void sent.finally(() => (sending = false)).catch(() => undefined)
    let cutsWhileSending = 0
    let cutsBreakingOurs = 0
    let cutsBreakingSmee = 0
    for (let cut = 0; cut < options.cuts; cut++) {
      await pause(sendStartedMs + firstCutMs + cut * cutEveryMs - monotonicMs())
      if (sending) cutsWhileSending++
      if (tunnel.status.state === 'connected') cutsBreakingOurs++
      if (smeeConnected) cutsBreakingSmee++
      ourProxy.down()
      smeeProxy.down()
      await pause(options.downMs)
      ourProxy.up()
      smeeProxy.up()
    }
    const report = await sent
    const lastSentMs = monotonicMs()

    const head = ((await adminCall(relayUrl, adminToken, 'GET', `/v1/channels/${record.channelId}`)) as { head: number }).head
    // Up to the longest reconnect wait there is (60 s) and a bit: late is not lost.
    await until(tunnel, ['frame'], () => lastSeq >= head, 65_000, 'our tunnel to reach the head').catch(() => undefined)
    const ourSettleSeconds = (monotonicMs() - lastSentMs) / 1000

    // smee has no backlog: whatever was not forwarded once the stream has been quiet a while never will be.
    const sentIds = report.events.map((event) => event.messageId)
    await waitUntilQuiet(receiver, () => sentIds.every((id) => receiver.messageIds.has(id)), 3000, 15_000)

    return {
      sent: sentIds.length,
      cutsWhileSending,
      lostOurs: sentIds.filter((id) => desktop.store.messages.getMessage(id) === null).length,
      lostSmee: sentIds.filter((id) => !receiver.messageIds.has(id)).length,
      ourRedeliveries,
      ourConnects,
      ourReconnectWaits,
      cutEverySeconds: cutEveryMs / 1000,
      cutsBreakingOurs,
      cutsBreakingSmee,
      smeeConnects,
      smeeForwards: receiver.forwards,
      smeeErrors,
      ourSettleSeconds
    }
  } finally {
    for (const step of cleanup.reverse()) await Promise.resolve(step()).catch(() => undefined)
  }
}

/** Resolves when `complete()` holds, or nothing arrived for `quietMs`, or after `maxMs` in all. */
function waitUntilQuiet(receiver: SmeeReceiver, complete: () => boolean, quietMs: number, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    let quiet = setTimeout(finish, quietMs)
    const deadline = setTimeout(finish, maxMs)
    function onForward(): void {
      if (complete()) return finish()
      clearTimeout(quiet)
      quiet = setTimeout(finish, quietMs)
    }
    function finish(): void {
      clearTimeout(quiet)
      clearTimeout(deadline)
      receiver.off('forwarded', onForward)
      resolve()
    }
    receiver.on('forwarded', onForward)
    if (complete()) finish()
  })
}
