// Relay tunnel benchmark (`npm run bench -- relay`). Prints human-readable lines, then one JSON line:
// - e2e_p50_ms / e2e_p99_ms: simulator webhook POST -> committed in the desktop's SQLite, 100 events/s
//   for 30 s, with a process spinning on one core beside it (target p99 < 50 ms); e2e_p50_quiet_ms /
//   e2e_p99_quiet_ms: the same run just before, without it;
// - ingest_eps / ingest_p99_ms: signed webhooks offered open-loop to the ingest URL, durable commits
//   (synchronous=FULL, the relay's default) (target >= 500/s with p99 < 100 ms);
// - catchup_s / catchup_cpu_s: the 10,000 webhooks of the ingest phase, stored while the desktop was
//   offline, delivered and applied after it reconnects, frames committed in batches (target < 2 s); beside
//   it, catchup_frame_by_frame_s / _cpu_s: the same backlog from the same cursor, one transaction per frame
//   (as before);
// - lost_ours / lost_smee: messages lost across 10 forced reconnects while 1,000 are sent, our tunnel and
//   stock smee-client on the relay's smee-compatible stream of the same channel, same run (ours must be 0);
// - ingest_capacity_eps / ingest_p99_at_capacity_ms: the capacity, not a fixed rate: durable webhooks offered
//   at rising rates (3 s steps) while one desktop streams every event; the highest step whose p99 (due time
//   -> the relay's 200) stays under 50 ms (target >= 3,000/s); beside it relay_cpu_us_per_event (the relay's
//   CPU over the whole phase, streaming included) and sender_cpu_us_per_event (the load generator's, timed
//   phases only: it builds and signs every request beforehand, see relay/ingest-load.ts);
// - disk_fdatasync_p99_ms / _busy_ms: one 4 KiB fdatasync where the relay's database lives, before the run
//   and right after the busy-core e2e run (core still busy): the floor under the relay's POST -> 200.
//
// Next to each phase it prints how busy the machine was (cores used by other processes, CPU and I/O stall
// shares): on a shared machine those explain most of the variation between runs.
//
// Processes (the machine has 2 cores; each party gets its own event loop):
// - the relay: `node relay/cli.ts` as a child, its SQLite in a temp dir, default durability;
// - the Postproxy simulator: a child (bench/relay/simulator-child.ts) that signs and POSTs the webhooks;
// - the desktop (store, tunnel, pairing) in this process; in the ingest phase this process is also the
//   sender (the desktop is offline then), and in the reconnect phase it also runs smee-client;
// - in the capacity phase, this process is the sender and the streaming desktop is a child of its own
//   (bench/relay/stream-reader-child.ts: the event stream, every frame parsed, acks each second).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnRelay, stopRelay, type RelayProcess } from '../integration/relay/helpers/relay-process.ts'
import { until } from '../integration/tunnel/tunnel-world.ts'
import type { InboxStore } from '../../electron/inbox/store/index.ts'
import type { Tunnel } from '../../electron/inbox/tunnel/tunnel.ts'
import { adminCall } from './relay/admin-call.ts'
import { measureCapacity } from './relay/capacity.ts'
import { measureCatchUp } from './relay/catch-up.ts'
import { openBenchDesktop, type BenchDesktop } from './relay/desktop.ts'
import { measureEndToEnd, type EndToEndResult } from './relay/end-to-end.ts'
import { startBusyLoop } from './relay/busy-loop.ts'
import { measureForcedReconnects } from './relay/forced-reconnects.ts'
import { measureIngest } from './relay/ingest-load.ts'
import { describeLatency, round, type LatencySummary } from './relay/latency.ts'
import { probeFdatasync } from './relay/disk-probe.ts'
import { describePressure, markPressure, pressureSince } from './relay/machine-pressure.ts'
import { processCpuSeconds } from './relay/process-cpu.ts'
import { startSimulatorProcess, type SimulatorProcess } from './relay/simulator-process.ts'

const E2E = { ratePerSec: 100, seconds: 30, participants: 20, warmUpEvents: 200 }
/** 10,000 webhooks: the ingest measurement, and the catch-up backlog. Offered a little above the 500/s
 *  target so that the achieved rate, which also counts the time to the last answer, can show it. */
const INGEST = { count: 10_000, ratePerSec: 550 }
const CATCH_UP_TIMEOUT_MS = 60_000
/** 25/s spreads the 1,000 messages over 40 s: the 10 cuts come every 4 s, longer than smee-client's 3 s
 *  reconnect delay and our 1–2 s first backoff step, so each cut can find both readers connected. */
const RECONNECTS = { events: 1_000, ratePerSec: 25, cuts: 10, downMs: 200 }
/** Rising offered rates (from low ones, so a busy machine still shows a figure); each step runs 3 s, twice
 *  at most, so the search is bounded too. */
const CAPACITY = {
  steps: [250, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 5000, 6000, 7000, 8000],
  stepSeconds: 3,
  warmUpSeconds: 2,
  p99TargetMs: 50,
  settleTimeoutMs: 15_000
}
/** Every phase is bounded; this bounds the whole run as well. */
const DEADLINE_MS = 10 * 60_000

const ADMIN_TOKEN = `bench-admin-${randomBytes(16).toString('hex')}`

function section(title: string): void {
  console.log(`\n== ${title}`)
}

async function stopRelayGently(relay: RelayProcess): Promise<void> {
  if (relay.child.exitCode !== null || relay.child.signalCode !== null) return
  relay.child.kill('SIGTERM')
  const timer = setTimeout(() => void stopRelay(relay), 5000)
  await relay.exited
  clearTimeout(timer)
}

function describeEndToEnd(result: EndToEndResult): void {
  console.log(`  e2e                 ${describeLatency(result.e2e)}`)
  console.log(`  POST -> relay's 200 (its durable commit)  ${describeLatency(result.ingestAnswer)}`)
  console.log(`  relay's 200 -> desktop commit            ${describeLatency(result.afterAnswer)} (the stream frame and the 200 leave together)`)
  console.log(`  refused by the relay: ${result.refusedByRelay}; not committed within 15 s: ${result.notCommitted}; simulator send timer late by up to ${result.simulatorMaxLateMs.toFixed(1)} ms`)
}

async function main(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'dmdesk-bench-relay-'))
  let relay: RelayProcess | null = null
  let sim: SimulatorProcess | null = null
  let desktop: BenchDesktop | null = null
  const deadline = setTimeout(() => {
    console.error('bench relay: over its time budget, giving up')
    if (relay) relay.child.kill('SIGKILL')
    void sim?.close()
    rmSync(dir, { recursive: true, force: true })
    process.exit(1)
  }, DEADLINE_MS)
  try {
    relay = await spawnRelay(['--data', join(dir, 'relay'), '--port', '0', '--no-rate-limit', '--smee', '--quiet'], 15_000, { RELAY_ADMIN_TOKEN: ADMIN_TOKEN })
    sim = await startSimulatorProcess()
    console.log(`setup: ${availableParallelism()} cores, Node ${process.version}, loopback only`)
    console.log(`  relay     child process ${relay.pid} (node relay/cli.ts --no-rate-limit --smee), SQLite WAL, synchronous=FULL (default)`)
    console.log(`  simulator child process ${sim.pid}: signs and POSTs each webhook to the relay's ingest URL`)
    console.log(`  desktop   this process ${process.pid}: real store (SQLite file), Tunnel with production timings, REST reconcile off`)
    console.log(`  clocks    CLOCK_MONOTONIC (process.hrtime), shared by every process`)
    const quietCheck = markPressure([relay.pid, sim.pid])
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const before = pressureSince(quietCheck)
    console.log(`  machine   before the run, ${describePressure(before).replace('machine load: ', '')}`)
    if (before && before.otherCores > 0.25) {
      console.log(`  WARNING   other processes are using this machine: the latencies below include their share of the 2 cores`)
    }
    const disk = probeFdatasync(dir)
    console.log(`  disk      fdatasync of 4 KiB where the relay's database lives: ${describeLatency(disk)}`)
    const benchPids = [relay.pid, sim.pid]
    const runPressure = markPressure(benchPids)

    desktop = openBenchDesktop(dir, 'desktop', sim)
    await desktop.pairing.pair({ relayUrl: relay.url, adminToken: ADMIN_TOKEN })
    const liveTunnel = desktop.newTunnel()
    await liveTunnel.start()
    await until(liveTunnel, ['status'], () => liveTunnel.status.state === 'connected', 10_000, 'the desktop to connect')

    section(`e2e: simulator POST -> committed in the desktop's SQLite, ${E2E.ratePerSec} events/s for ${E2E.seconds} s`)
    let phasePressure = markPressure(benchPids)
    const e2eQuiet = await measureEndToEnd(sim, liveTunnel, E2E)
    console.log(`  ${E2E.warmUpEvents} warm-up events first (not counted); ${E2E.participants} participants, round robin`)
    describeEndToEnd(e2eQuiet)
    console.log(`  ${describePressure(pressureSince(phasePressure))}`)

    section(`e2e with one core busy: the same, beside a process spinning on one of the ${availableParallelism()} cores (node -e 'for(;;);')`)
    const spinner = startBusyLoop()
    phasePressure = markPressure([...benchPids, spinner.pid])
    let e2e: EndToEndResult
    let diskBusy: LatencySummary
    try {
      e2e = await measureEndToEnd(sim, liveTunnel, E2E)
      // The disk's own fsync tail right now, core still busy: the floor under the relay's POST -> 200.
      diskBusy = probeFdatasync(dir)
    } finally {
      await spinner.stop()
    }
    await liveTunnel.stop()
    describeEndToEnd(e2e)
    console.log(`  disk fdatasync of 4 KiB, core still busy: ${describeLatency(diskBusy)}; before the run: ${describeLatency(disk)}`)
    console.log(`  ratio to the quiet run: p50 ${(e2e.e2e.p50 / e2eQuiet.e2e.p50).toFixed(2)}×, p99 ${(e2e.e2e.p99 / e2eQuiet.e2e.p99).toFixed(2)}×`)
    console.log(`  ${describePressure(pressureSince(phasePressure))} (the spinner counted as the bench's)`)

    section(`ingest: ${INGEST.count.toLocaleString('en')} signed webhooks offered at ${INGEST.ratePerSec}/s (open loop) to the ingest URL, desktop offline`)
    phasePressure = markPressure(benchPids)
    const relayCpuBefore = processCpuSeconds(relay.pid)
    const ownCpuBefore = process.cpuUsage()
    const ingest = await measureIngest({
      ingestUrl: await desktop.ingestUrl(),
      secret: await desktop.webhookSecret(),
      count: INGEST.count,
      ratePerSec: INGEST.ratePerSec,
      template: e2e.sample,
      chatIds: e2e.chatIds
    })
    const relayCpu = processCpuSeconds(relay.pid) - relayCpuBefore
    const ownCpu = process.cpuUsage(ownCpuBefore)
    console.log(`  sender: this process, keep-alive connections, each request prebuilt (signed) before the timed phase; bodies ${ingest.bodyBytes} bytes, shaped and signed like the simulator's`)
    console.log(`  achieved ${ingest.achievedEps.toFixed(1)} events/s (${ingest.ok} x 200 in ${ingest.seconds.toFixed(2)} s); refused: ${JSON.stringify(ingest.refused)}`)
    console.log(`  latency from due time   ${describeLatency(ingest.latency)}`)
    console.log(`  latency from send       ${describeLatency(ingest.latencyFromSend)}`)
    console.log(
      `  CPU: relay ${relayCpu.toFixed(1)} s (${((relayCpu / ingest.seconds) * 100).toFixed(0)}% of a core), sender ${((ownCpu.user + ownCpu.system) / 1e6).toFixed(1)} s; sender timer late by up to ${ingest.senderMaxLateMs.toFixed(1)} ms`
    )
    console.log(`  ${describePressure(pressureSince(phasePressure))}`)

    /** One catch-up of the whole backlog: delivered, applied and committed, and the CPU it took. */
    const catchUpRun = async (label: string, tunnel: Tunnel, store: InboxStore) => {
      const ownCpu = process.cpuUsage()
      const relayCpu = processCpuSeconds(relay!.pid)
      let transactions = 0
      tunnel.on('committed', () => transactions++)
      const result = await measureCatchUp(tunnel, store, ingest.maxSeq, ingest.messageIds, CATCH_UP_TIMEOUT_MS)
      const cpu = process.cpuUsage(ownCpu)
      const desktopCpuS = (cpu.user + cpu.system) / 1e6
      await tunnel.stop()
      console.log(
        `  ${label}: ${result.reachedHead ? 'all delivered and applied' : 'NOT at the head'} in ${result.seconds.toFixed(2)} s (${(ingest.ok / result.seconds).toFixed(0)} events/s) in ${transactions} transactions; frames ${JSON.stringify(result.outcomes)}; missing from the store: ${result.missing}`
      )
      console.log(`    desktop CPU ${desktopCpuS.toFixed(1)} s (user ${(cpu.user / 1e6).toFixed(1)}, system ${(cpu.system / 1e6).toFixed(1)}), including the store check afterwards; relay CPU ${(processCpuSeconds(relay!.pid) - relayCpu).toFixed(1)} s`)
      return { ...result, desktopCpuS, transactions }
    }

    section(`catch-up: the desktop reconnects to a backlog of ${ingest.ok.toLocaleString('en')} events`)
    phasePressure = markPressure(benchPids)
    // The same backlog twice, from the same cursor: batched (as shipped), then frame by frame (as before).
    const frameByFrameStore = desktop.copyStore('desktop-frame-by-frame')
    const catchUp = await catchUpRun('batched, up to 500 frames per transaction', desktop.newTunnel(), desktop.store)
    const frameByFrame = await catchUpRun('frame by frame, one transaction each (as before)', desktop.newTunnel({ store: frameByFrameStore, framesPerTransaction: 1 }), frameByFrameStore)
    frameByFrameStore.close()
    console.log(
      `  ratio: ${(frameByFrame.seconds / catchUp.seconds).toFixed(2)}× faster, ${(frameByFrame.desktopCpuS / catchUp.desktopCpuS).toFixed(2)}× less desktop CPU; transactions ${catchUp.transactions} vs ${frameByFrame.transactions}`
    )
    console.log(`  ${describePressure(pressureSince(phasePressure))}`)

    // The first pairing's webhook would make the simulator deliver everything twice from here on.
    await desktop.pairing.unpair({ adminToken: ADMIN_TOKEN, force: true })

    section(`reconnects: ${RECONNECTS.events.toLocaleString('en')} messages at ${RECONNECTS.ratePerSec}/s, ${RECONNECTS.cuts} forced reconnects, ours vs smee-client`)
    phasePressure = markPressure(benchPids)
    const loss = await measureForcedReconnects({ sim, relayUrl: relay.url, adminToken: ADMIN_TOKEN, dir, ...RECONNECTS })
    console.log(
      `  each reader behind its own loopback TCP proxy; a cut (every ${loss.cutEverySeconds.toFixed(1)} s) destroys every connection and refuses new ones for ${RECONNECTS.downMs} ms`
    )
    console.log(
      `  cuts while sending: ${loss.cutsWhileSending} of ${RECONNECTS.cuts}; cuts that broke a live stream: ours ${loss.cutsBreakingOurs}, smee-client ${loss.cutsBreakingSmee}; sent: ${loss.sent}`
    )
    console.log(
      `  ours:        lost ${loss.lostOurs}; ${loss.ourConnects} connections opened; ${loss.ourRedeliveries} redelivered frames recognised and applied once; complete ${loss.ourSettleSeconds.toFixed(2)} s after the last send`
    )
    console.log(`  ours: waits announced before reconnecting: ${loss.ourReconnectWaits.map((wait) => `${wait.toFixed(1)} s`).join(', ')}`)
    console.log(`  smee-client: lost ${loss.lostSmee}; ${loss.smeeConnects} connections opened; ${loss.smeeForwards} forwards (live-only stream: nothing sent while it reconnects comes back)`)
    console.log(`  smee-client errors: ${JSON.stringify(loss.smeeErrors)}`)
    console.log(`  ${describePressure(pressureSince(phasePressure))}`)

    section(`capacity: durable webhooks at rising rates until p99 passes ${CAPACITY.p99TargetMs} ms, one desktop streaming`)
    phasePressure = markPressure(benchPids)
    const capacityChannel = (await adminCall(relay.url, ADMIN_TOKEN, 'POST', '/v1/channels')) as { channel_id: string; ingest_url: string }
    const capacityDevice = (await adminCall(relay.url, ADMIN_TOKEN, 'POST', `/v1/channels/${capacityChannel.channel_id}/devices`)) as { token: string; events_url: string }
    const relayCpuBeforeCapacity = processCpuSeconds(relay.pid)
    let capacityEvents = 0
    let capacitySenderCpuS = 0
    const capacity = await measureCapacity(
      {
        ingestUrl: capacityChannel.ingest_url,
        eventsUrl: capacityDevice.events_url,
        deviceToken: capacityDevice.token,
        secret: `whsec_capacity_${randomBytes(8).toString('hex')}`,
        template: e2e.sample,
        chatIds: e2e.chatIds,
        ...CAPACITY
      },
      (step) => {
        capacityEvents += step.result.ok
        capacitySenderCpuS += step.result.senderCpuS
        console.log(
          `  ${String(step.offeredEps).padStart(5)}/s${step.attempt > 1 ? ' (again)' : '        '} ${step.passed ? 'held  ' : 'MISSED'} achieved ${step.result.achievedEps.toFixed(0)}/s; ${describeLatency(step.result.latency)}; refused ${JSON.stringify(step.result.refused)}; desktop behind by ${step.readerBehind}; sender late by up to ${step.result.senderMaxLateMs.toFixed(1)} ms`
        )
      }
    )
    const capacityRelayCpu = processCpuSeconds(relay.pid) - relayCpuBeforeCapacity
    console.log(`  capacity ${capacity.capacityEps}/s (p99 ${capacity.p99AtCapacityMs?.toFixed(1) ?? '—'} ms); the streaming desktop received ${capacity.readerFrames} events`)
    // The relay's CPU over the phase covers the warm-up's events too.
    const relayCpuPerEventUs = (capacityRelayCpu * 1e6) / Math.max(1, capacityEvents + capacity.warmUpEvents)
    const senderCpuPerEventUs = (capacitySenderCpuS * 1e6) / Math.max(1, capacityEvents)
    console.log(
      `  relay CPU ${relayCpuPerEventUs.toFixed(0)} µs per event (whole phase, streaming included); sender ${senderCpuPerEventUs.toFixed(0)} µs per event (timed phases, requests prebuilt)`
    )
    console.log(`  ${describePressure(pressureSince(phasePressure))}`)
    const overall = pressureSince(runPressure)

    return {
      e2e_p50_ms: round(e2e.e2e.p50),
      e2e_p99_ms: round(e2e.e2e.p99),
      e2e_events: e2e.e2e.count,
      e2e_p50_quiet_ms: round(e2eQuiet.e2e.p50),
      e2e_p99_quiet_ms: round(e2eQuiet.e2e.p99),
      ingest_eps: round(ingest.achievedEps, 1),
      ingest_p99_ms: round(ingest.latency.p99),
      ingest_p50_ms: round(ingest.latency.p50),
      ingest_offered_eps: INGEST.ratePerSec,
      catchup_s: round(catchUp.seconds),
      catchup_events: ingest.ok,
      catchup_cpu_s: round(catchUp.desktopCpuS, 1),
      catchup_frame_by_frame_s: round(frameByFrame.seconds),
      catchup_frame_by_frame_cpu_s: round(frameByFrame.desktopCpuS, 1),
      lost_ours: loss.lostOurs,
      lost_smee: loss.lostSmee,
      reconnect_events: loss.sent,
      reconnect_cuts: RECONNECTS.cuts,
      ingest_capacity_eps: capacity.capacityEps,
      ingest_p99_at_capacity_ms: capacity.p99AtCapacityMs === null ? null : round(capacity.p99AtCapacityMs),
      relay_cpu_us_per_event: Math.round(relayCpuPerEventUs),
      sender_cpu_us_per_event: Math.round(senderCpuPerEventUs),
      disk_fdatasync_p99_ms: round(disk.p99),
      disk_fdatasync_p99_busy_ms: round(diskBusy.p99),
      machine_other_cores_before: before ? round(before.otherCores) : null,
      machine_other_cores: overall ? round(overall.otherCores) : null,
      machine_cpu_pressure_pct: overall ? Math.round(overall.cpuPct) : null
    }
  } finally {
    clearTimeout(deadline)
    desktop?.close()
    await sim?.close()
    if (relay) await stopRelayGently(relay)
    rmSync(dir, { recursive: true, force: true })
  }
}

const figures = await main()
console.log('')
console.log(JSON.stringify(figures))
// Keep-alive sockets of fetch's pool must not hold the finished run open.
process.exit(0)
