// A creator's day (`npm run bench -- day`): the app sitting open, then eight busy hours compressed.
// Prints human lines, then one JSON line.
//
// Sitting open — web mode in demo mode (its simulator and relay run inside the core process, personas off:
// the figure is about "nothing arriving"), relay connected, the page hidden (Page Visibility, emulated:
// headless Chromium cannot hide a page), measured over DAY_IDLE_SECONDS (default 180 s; the issue's
// 10 minutes by setting it to 600) and extrapolated:
// - idle_cpu_pct: the core process's CPU, % of one core (target < 0.5)
// - idle_wakeups_per_min: its threads' context switches per minute
// - idle_requests_per_hour: Postproxy requests in the window, per hour, beside the one scheduled poll (the
//   tunnel's 15-minute reconcile, outside a short window) (target 0)
// - idle_renderer_callbacks: timer and animation-frame callbacks the hidden page ran in the window
//
// Eight busy hours — live mode against a simulator and a relay in their own processes, so the core's
// memory is the core's: per simulated hour 625 inbound messages (every tenth with an image), 250 sends,
// 720 thread switches in the page (the "every few seconds": one each 5 simulated seconds;
// DAY_SWITCHES_PER_HOUR=40 gives the rate this bench used before, one each 90 s); the simulator's clock
// moves an hour each time:
// - rss_growth_pct: core RSS after hour 8 vs after hour 1 (target < 10)
// - heap_growth_pct: renderer JS heap (after a GC) after hour 8 vs after hour 1 (target < 10)
// - switches_per_hour: the thread switches each busy hour made (720 unless DAY_SWITCHES_PER_HOUR says otherwise)
// - thread_rows_hour{1,8}: message rows the open thread shows when the heap is read (part of what it holds)
// - heap_snapshot_growth_{code,blink,js}_kib: what the renderer's heap snapshots hold, hour 1 -> hour 8, by
//   kind: V8's compiled code, Blink's objects, the page's JS objects (why the heap grew, not a target)
// - busy_core_cpu_s: the core's CPU over hours 2–8 (what keeping its memory down costs, not a target)
// - page_errors: uncaught errors and console errors or warnings in the page over the day (0)
// Needs the build (npm run build).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from '@playwright/test'
import type WebSocket from 'ws'
import type { ThreadPage } from '../../shared/inbox-api.ts'
import { spawnRelay, stopRelay, type RelayProcess } from '../integration/relay/helpers/relay-process.ts'
import { connectWebBridge, type WebBridgeClient } from '../support/web-bridge-client.ts'
import { chatsList, launchChromium, openChatAt } from './support/browser.ts'
import { LoadSamples } from './support/machine-load.ts'
import { killLeftovers, startNodeProcess, stopNodeProcess, WEB_MODE } from './support/node-process.ts'
import type { PageGlobals } from './support/page-globals.ts'
import { contextSwitches, residentMb } from './support/process-stats.ts'
import { MemoryReader, withMemoryProbe, type CoreMemory } from './support/core-memory.ts'
import { processCpuSeconds } from './relay/process-cpu.ts'

const IDLE_SECONDS = Number(process.env.DAY_IDLE_SECONDS ?? 180)
const IDLE_SETTLE_SECONDS = 15
/**
 * Investigation: every hour the core's memory map (/proc/<pid>/smaps, to see which mappings grew) and the
 * page's heap snapshot are written here; with DAY_CORE_SNAPSHOTS=1 also the core's heap snapshot after a
 * full GC (writing it costs the core tens of MB of RSS: its figures are then no longer the bench's).
 */
const SNAPSHOT_DIR = process.env.DAY_SNAPSHOT_DIR
const CORE_SNAPSHOTS = SNAPSHOT_DIR !== undefined && process.env.DAY_CORE_SNAPSHOTS === '1'
/** Investigation: skips "sitting open" (DAY_SKIP_IDLE=1) to get to the busy hours. */
const SKIP_IDLE = process.env.DAY_SKIP_IDLE === '1'
const HOURS = 8
/**
 * A busy hour. Switches: at 40 an hour (the rate before) V8 was still optimising the page's hot paths during
 * hour 2, so hour 1's heap read lacked ~0.6 MB of compiled code; at 720 an hour hour 1 holds it (the renderer's
 * compiled code grew +37–72 KiB from hour 1 to hour 8, against +600 KiB at 40).
 */
const PER_HOUR = { inbound: 625, sends: 250, mediaEvery: 10, switches: Number(process.env.DAY_SWITCHES_PER_HOUR ?? 720), participants: 60 }
/** A 1×1 PNG: an attachment the core downloads into its media cache like any other. */
const PIXEL_PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
const RELAY_ADMIN_TOKEN = 'day-bench-admin-token-0123456789'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const pct = (before: number, after: number) => Number((((after - before) / before) * 100).toFixed(1))

/** Counts the page's timer and animation-frame callbacks, and lets the bench hide the page. */
function instrumentPage(): void {
  const g = globalThis as unknown as PageGlobals & {
    setTimeout: (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => number
    setInterval: (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => number
  }
  g.__callbacks = 0
  const count = <F extends (...args: never[]) => unknown>(fn: F) => ((...args: Parameters<F>) => ((g.__callbacks as number)++, fn(...args))) as F
  const setTimeoutOriginal = g.setTimeout.bind(g)
  const setIntervalOriginal = g.setInterval.bind(g)
  const rafOriginal = g.requestAnimationFrame.bind(g)
  g.setTimeout = (fn, ms, ...args) => setTimeoutOriginal(typeof fn === 'function' ? count(fn) : fn, ms, ...args)
  g.setInterval = (fn, ms, ...args) => setIntervalOriginal(typeof fn === 'function' ? count(fn) : fn, ms, ...args)
  g.requestAnimationFrame = (fn) => rafOriginal(count(fn))
  g.__hide = () => {
    Object.defineProperty(g.document, 'visibilityState', { configurable: true, get: () => 'hidden' })
    Object.defineProperty(g.document, 'hidden', { configurable: true, get: () => true })
    ;(g.document as unknown as EventTarget).dispatchEvent(new Event('visibilitychange'))
  }
}

async function simRequests(url: string, apiKey: string): Promise<number> {
  const state = (await (await fetch(`${url}/_sim/state`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { requests: { total: number } }
  return state.requests.total
}

async function sittingOpen(browser: Browser, dir: string) {
  const load = new LoadSamples()
  const web = await startNodeProcess(WEB_MODE, ['--port', '0', '--data-dir', join(dir, 'idle'), '--memory-secrets', '--demo', '--no-alive'])
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await page.addInitScript(instrumentPage)
  await page.goto(web.info.url)
  await chatsList(page).getByRole('listitem').first().waitFor({ timeout: 120_000 })
  await page.getByText('Relay connected', { exact: true }).waitFor({ timeout: 120_000 })
  await page.getByText(/^(Up to date|Updated .* ago)$/).waitFor({ timeout: 120_000 })
  await page.evaluate(() => ((globalThis as unknown as PageGlobals).__hide as () => void)())
  await sleep(IDLE_SETTLE_SECONDS * 1000)

  const callbacks = () => page.evaluate(() => (globalThis as unknown as PageGlobals).__callbacks as number)
  const before = { cpu: processCpuSeconds(web.pid), switches: contextSwitches(web.pid), requests: await simRequests(web.info.simulatorUrl, web.info.simulatorApiKey), callbacks: await callbacks() }
  const started = performance.now()
  for (let s = 0; s < IDLE_SECONDS; s += 10) {
    await sleep(10_000)
    load.sample()
  }
  const seconds = (performance.now() - started) / 1000
  const after = { cpu: processCpuSeconds(web.pid), switches: contextSwitches(web.pid), requests: await simRequests(web.info.simulatorUrl, web.info.simulatorApiKey), callbacks: await callbacks() }
  await page.context().close()
  await stopNodeProcess(web.child)

  const cpuPct = ((after.cpu - before.cpu) / seconds) * 100
  const wakeups = (after.switches - before.switches) / (seconds / 60)
  const requests = after.requests - before.requests
  console.log(`  window ${seconds.toFixed(0)} s (after ${IDLE_SETTLE_SECONDS} s to settle): core CPU ${(after.cpu - before.cpu).toFixed(2)} s = ${cpuPct.toFixed(2)} % of a core; ${wakeups.toFixed(0)} wake-ups/min (context switches, all threads)`)
  console.log(`  Postproxy requests in the window: ${requests} (${((requests * 3600) / seconds).toFixed(0)}/h extrapolated); the one scheduled poll: the tunnel's reconcile every 15 min, 1 request when nothing changed`)
  console.log(`  the hidden page ran ${after.callbacks - before.callbacks} timer / animation-frame callbacks; ${load.describe()}`)
  return { cpuPct, wakeups, requestsPerHour: (requests * 3600) / seconds, rendererCallbacks: after.callbacks - before.callbacks, load: load.range }
}

/**
 * The page's JS heap after garbage collection, MiB: `settledMb` after full GCs repeated until one frees less
 * than 1 % (at most 8), `firstGcMb` after the first alone (the figure before this measurement existed, printed
 * beside it). Why several: one full GC leaves what V8 only drops over several, chiefly compiled code (bytecode
 * and baseline code of functions not run lately are flushed as they age over GCs), so a single read says as
 * much about how recently each code path ran as about what the page keeps alive.
 */
async function rendererHeapMb(page: Page): Promise<{ settledMb: number; firstGcMb: number; gcs: number }> {
  const cdp = await page.context().newCDPSession(page)
  const usedAfterGc = async () => {
    await cdp.send('HeapProfiler.collectGarbage')
    return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 1024 / 1024
  }
  const firstGcMb = await usedAfterGc()
  let settledMb = firstGcMb
  let gcs = 1
  for (; gcs < 8; gcs++) {
    const next = await usedAfterGc()
    const freed = settledMb - next
    settledMb = Math.min(settledMb, next)
    if (freed < settledMb * 0.01) break
  }
  await cdp.detach()
  return { settledMb, firstGcMb, gcs }
}

const fileMb = (path: string): string => (existsSync(path) ? (statSync(path).size / 1024 / 1024).toFixed(1) : '0')

const describeCore = (m: CoreMemory): string =>
  `rss ${m.rssMb}, V8 heap used ${m.heapUsedMb} of ${m.heapTotalMb}, external ${m.externalMb} (array buffers ${m.arrayBuffersMb}), ` +
  `outside V8 ${(m.rssMb - m.heapTotalMb - m.externalMb).toFixed(1)} MB` +
  (m.afterGc ? `; after a full GC: heap used ${m.afterGc.heapUsedMb} of ${m.afterGc.heapTotalMb}, rss ${m.afterGc.rssMb}` : '')

/** The page's heap snapshot (DevTools' JSON), taken after a full GC. */
async function rendererSnapshot(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page)
  const chunks: string[] = []
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk))
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  await cdp.detach()
  return chunks.join('')
}

/** What a heap snapshot holds, KiB by kind: V8's compiled code, Blink's objects (DOM, performance entries, DevTools' buffers), the rest (the page's JS objects, strings, arrays, closures). */
type HeapKinds = { codeKib: number; blinkKib: number; jsKib: number }

function heapKinds(snapshot: string): HeapKinds {
  const { snapshot: meta, nodes, strings } = JSON.parse(snapshot) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] }
  const fields = meta.meta.node_fields
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field))
  const types = meta.meta.node_types[0]
  const kinds = { codeKib: 0, blinkKib: 0, jsKib: 0 }
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + typeAt]]
    // V8's own internals are "native" too, named "system / …"; Blink's objects carry their class names.
    const kind = type === 'code' ? 'codeKib' : type === 'native' && !strings[nodes[i + nameAt]].startsWith('system / ') ? 'blinkKib' : 'jsKib'
    kinds[kind] += nodes[i + sizeAt] / 1024
  }
  return kinds
}

/** Resolves on the next push that says messages changed (a new inbound one, or a thread's messages). */
function nextMessageChange(bridge: WebBridgeClient): Promise<void> {
  return new Promise((resolve) => {
    const receive = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString()) as { type: string; name?: string }
      if (frame.type !== 'event' || (frame.name !== 'messages-changed' && frame.name !== 'inbound-message')) return
      bridge.socket.off('message', receive)
      resolve()
    }
    bridge.socket.on('message', receive)
  })
}

/**
 * Resolves once every message of `pending` (message id -> chat id) is in the core's cache, as its chat's
 * thread shows it. Not the `inbound-message` pushes: a thread opened meanwhile may have fetched a message
 * before its webhook came, and then the webhook inserts nothing new to announce.
 */
async function inCache(bridge: WebBridgeClient, pending: Map<string, string>): Promise<void> {
  const limitMs = 120_000
  const startedAt = performance.now()
  while (pending.size > 0) {
    const changed = nextMessageChange(bridge)
    for (const chatId of new Set(pending.values())) {
      const page = await bridge.call('getThread', { chatId, limit: 200 })
      if (page.ok) for (const message of (page.value as ThreadPage).messages) pending.delete(message.id)
    }
    if (pending.size === 0) return
    const left = limitMs - (performance.now() - startedAt)
    let timer: ReturnType<typeof setTimeout> | undefined
    const bound = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${pending.size} inbound messages never reached the cache`)), Math.max(0, left))))
    await Promise.race([changed, bound]).finally(() => clearTimeout(timer))
  }
}

async function busyDay(browser: Browser, dir: string) {
  const load = new LoadSamples()
  let relay: RelayProcess | null = null
  const sim = await startNodeProcess('simulator/cli.ts', ['--port', '0', '--scenario', 'demo', '--seed', '4', '--no-alive', '--publish-delay-ms', '500'])
  try {
    relay = await spawnRelay(['--data', join(dir, 'relay'), '--port', '0', '--no-rate-limit', '--quiet'], 30_000, { RELAY_ADMIN_TOKEN })
    const web = await startNodeProcess(
      WEB_MODE,
      ['--port', '0', '--data-dir', join(dir, 'busy'), '--memory-secrets'],
      withMemoryProbe({ POSTPROXY_BASE_URL: sim.info.url, POSTPROXY_API_KEY: sim.info.apiKey, ...(CORE_SNAPSHOTS ? { DMDESK_MEMORY_PROBE_DIR: SNAPSHOT_DIR } : {}) })
    )
    const coreMemory = new MemoryReader(web.child)
    const bridge = await connectWebBridge(web.info.url)
    // Each call in flight listens on the socket: ten sends at once, plus the arrivals' listener.
    bridge.socket.setMaxListeners(64)
    await bridge.statusWhere((s) => s.sync.state === 'idle' && s.sync.lastSyncedAt !== null)
    const paired = await bridge.call('pairRelay', { relayUrl: relay.url, adminToken: RELAY_ADMIN_TOKEN })
    if (!paired.ok) throw new Error(`pairing failed: ${JSON.stringify(paired.error)}`)
    await bridge.statusWhere((s) => s.tunnel.state === 'connected')
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message))
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') pageErrors.push(`console.${message.type()}: ${message.text()}`)
    })
    await page.goto(web.info.url)
    await chatsList(page).getByRole('listitem').first().waitFor({ timeout: 60_000 })

    const control = async (path: string, body?: unknown) => {
      const response = await fetch(`${sim.info.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.info.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {})
      })
      if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`)
      return (await response.json()) as { chat: { id: string }; message: { id: string } }
    }

    /** Each hour as it settled; `coreCpuS`, the core's CPU so far, says what a memory saving costs in work. */
    const samples: { hour: number; rssMb: number; heapMb: number; coreCpuS: number; threadRows: number }[] = []
    let kindsAtStart: HeapKinds | undefined
    let kindsAtEnd: HeapKinds | undefined
    let n = 0
    for (let hour = 1; hour <= HOURS; hour++) {
      const startedHour = performance.now()
      const waiting = new Map<string, string>()
      const chatIds: string[] = []
      let sends = 0
      let switches = 0
      let images = 0
      // Interleaved in 25 steps, as an hour of a busy inbox would be.
      for (let step = 0; step < 25; step++) {
        for (let i = 0; i < PER_HOUR.inbound / 25; i++, n++) {
          const participant = `day_fan_${n % PER_HOUR.participants}`
          const media = n % PER_HOUR.mediaEvery === 0
          if (media) images++
          const injected = await control('/_sim/inbound', {
            participant_external_id: participant,
            participant_username: participant,
            ...(media ? { media: { data_uri: PIXEL_PNG } } : { body: `hour ${hour}: message ${n} — is the blue glaze back in stock?` })
          })
          waiting.set(injected.message.id, injected.chat.id)
          chatIds.push(injected.chat.id)
        }
        const sendsNow = Math.round(((step + 1) * PER_HOUR.sends) / 25) - sends
        await Promise.all(Array.from({ length: sendsNow }, (_, i) => bridge.call('sendText', { chatId: chatIds[(sends + i) % chatIds.length], text: `Thanks! hour ${hour}, reply ${sends + i}` })))
        sends += sendsNow
        const switchesNow = Math.round(((step + 1) * PER_HOUR.switches) / 25) - switches
        for (let i = 0; i < switchesNow; i++) await openChatAt(page, (switches + i) % 8)
        switches += switchesNow
      }
      await inCache(bridge, waiting)
      await control('/_sim/clock/advance', { ms: 3600_000 })
      load.sample()
      // Settled: nothing left in flight; then memory as it stands.
      await bridge.statusWhere((s) => s.sync.state !== 'syncing')
      const rssMb = residentMb(web.pid)
      const coreCpuS = processCpuSeconds(web.pid)
      const core = await coreMemory.read()
      const heap = await rendererHeapMb(page)
      const heapMb = heap.settledMb
      // What the page shows is part of its heap: the open thread's rows, each with its DOM and Svelte's effects.
      const threadRows = await page.locator('[data-message-row]').count()
      samples.push({ hour, rssMb, heapMb, coreCpuS, threadRows })
      console.log(`  hour ${hour}: ${PER_HOUR.inbound} inbound (${images} with an image), ${sends} sends, ${switches} thread switches in ${((performance.now() - startedHour) / 1000).toFixed(0)} s; core RSS ${rssMb.toFixed(1)} MB, renderer heap ${heapMb.toFixed(1)} MB with ${threadRows} message rows shown`)
      console.log(`    renderer heap after ${heap.gcs} full GCs ${heap.settledMb.toFixed(2)} MB (after the first alone ${heap.firstGcMb.toFixed(2)} MB)`)
      console.log(`    core: ${describeCore(core)}; inbox.db ${fileMb(join(dir, 'busy', 'inbox.db'))} MB, its WAL ${fileMb(join(dir, 'busy', 'inbox.db-wal'))} MB`)
      // After the reading, so the snapshot's own GC does not flatter it: what the heap holds, by kind.
      if (hour === 1 || hour === HOURS || SNAPSHOT_DIR) {
        const snapshot = await rendererSnapshot(page)
        if (hour === 1) kindsAtStart = heapKinds(snapshot)
        if (hour === HOURS) kindsAtEnd = heapKinds(snapshot)
        if (SNAPSHOT_DIR) {
          writeFileSync(join(SNAPSHOT_DIR, `core-${hour}.smaps`), readFileSync(`/proc/${web.pid}/smaps`))
          writeFileSync(join(SNAPSHOT_DIR, `renderer-${hour}.heapsnapshot`), snapshot)
        }
      }
    }
    bridge.socket.close()
    await page.context().close()
    await stopNodeProcess(web.child)
    const first = samples[0]
    const last = samples[samples.length - 1]
    console.log(`  after hour 1 -> after hour ${HOURS}: core RSS ${first.rssMb.toFixed(1)} -> ${last.rssMb.toFixed(1)} MB (${pct(first.rssMb, last.rssMb)} %), renderer heap ${first.heapMb.toFixed(1)} -> ${last.heapMb.toFixed(1)} MB (${pct(first.heapMb, last.heapMb)} %); ${load.describe()}`)
    const heapKindsGrowthKib = Object.fromEntries(Object.entries(kindsAtEnd!).map(([kind, kib]) => [kind, Math.round(kib - kindsAtStart![kind as keyof HeapKinds])])) as HeapKinds
    const kindLine = (kinds: HeapKinds) => `compiled code ${kinds.codeKib.toFixed(0)}, Blink's objects ${kinds.blinkKib.toFixed(0)}, the page's JS ${kinds.jsKib.toFixed(0)} KiB`
    console.log(`  renderer heap snapshots, hour 1: ${kindLine(kindsAtStart!)}; hour ${HOURS}: ${kindLine(kindsAtEnd!)}`)
    const busyCoreCpuS = Number((last.coreCpuS - first.coreCpuS).toFixed(1))
    console.log(`  the core's CPU over hours 2–${HOURS}: ${busyCoreCpuS} s`)
    console.log(`  page errors: ${pageErrors.length}`)
    for (const e of new Set(pageErrors)) console.log(`    ${e.replaceAll('\n', '\n    ')}`)
    return { first, last, heapKindsGrowthKib, busyCoreCpuS, pageErrors: pageErrors.length, load: load.range }
  } finally {
    await stopNodeProcess(sim.child)
    if (relay) await stopRelay(relay)
  }
}

const dir = mkdtempSync(join(tmpdir(), 'dmdesk-bench-day-'))
let browser: Browser | undefined
try {
  browser = await launchChromium()
  console.log(`\n== sitting open: demo, relay connected, nothing arriving, page hidden, ${IDLE_SECONDS} s window`)
  const idle = SKIP_IDLE ? { cpuPct: NaN, wakeups: NaN, requestsPerHour: NaN, rendererCallbacks: NaN, load: { min: Infinity, max: -Infinity } } : await sittingOpen(browser, dir)
  console.log(`\n== eight busy hours, compressed: ${PER_HOUR.inbound} inbound, ${PER_HOUR.sends} sends, ${PER_HOUR.switches} thread switches per hour; ${(HOURS * PER_HOUR.inbound) / PER_HOUR.mediaEvery} images over the day`)
  const day = await busyDay(browser, dir)
  console.log(
    JSON.stringify({
      idle_cpu_pct: Number(idle.cpuPct.toFixed(2)),
      idle_wakeups_per_min: Math.round(idle.wakeups),
      idle_requests_per_hour: Math.round(idle.requestsPerHour),
      idle_renderer_callbacks: idle.rendererCallbacks,
      idle_window_s: IDLE_SECONDS,
      switches_per_hour: PER_HOUR.switches,
      rss_growth_pct: pct(day.first.rssMb, day.last.rssMb),
      heap_growth_pct: pct(day.first.heapMb, day.last.heapMb),
      rss_hour1_mb: Number(day.first.rssMb.toFixed(1)),
      rss_hour8_mb: Number(day.last.rssMb.toFixed(1)),
      heap_hour1_mb: Number(day.first.heapMb.toFixed(1)),
      heap_hour8_mb: Number(day.last.heapMb.toFixed(1)),
      thread_rows_hour1: day.first.threadRows,
      thread_rows_hour8: day.last.threadRows,
      heap_snapshot_growth_code_kib: day.heapKindsGrowthKib.codeKib,
      heap_snapshot_growth_blink_kib: day.heapKindsGrowthKib.blinkKib,
      heap_snapshot_growth_js_kib: day.heapKindsGrowthKib.jsKib,
      busy_core_cpu_s: day.busyCoreCpuS,
      page_errors: day.pageErrors,
      load_min: Math.min(idle.load.min, day.load.min),
      load_max: Math.max(idle.load.max, day.load.max)
    })
  )
} finally {
  await browser?.close()
  killLeftovers()
  rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
