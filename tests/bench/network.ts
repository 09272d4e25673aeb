// A first run on a real network (`npm run bench -- network`): a new account of 1,000 chats × 50 messages,
// Postproxy 150 ms away (the simulator's --latency-ms) and limiting each key to 10 requests/s
// (--rate-limit 10), the API key handed to web mode at start (as if already stored), Chromium waiting.
// Figures (prints human lines, then one JSON line):
// - first_list_ms: process start -> first chat row painted (target < 1000), median of 3 first runs: the
//   full run's and two more stopped at their first row (against a simulator of their own, so the full run's
//   request counts are its own)
// - unread_ready_s: process start -> every chat awaiting a reply has its newest page in the cache (< 15)
// - full_sync_s: process start -> the first sync is done (every chat's newest page)
// - sync_requests / sync_429s: Postproxy requests of the first sync as the simulator counted them, and how
//   many it refused (≤ 1,010 / 0); the sign-in's profile request is included
// - click_during_sync_ms: median click on a chat while history fills in -> its messages painted (< 100)
// - progress_visible: the status bar showed the first sync's stages and a moving progress bar
// - web_cpu_s: CPU seconds web mode spent on the whole first sync (load-independent)
// Side by side in the same run, the core's sync as before this change (no pacing, same 4 at a time)
// against a fresh simulator with the same latency and limit: its time, requests and 429s.
// Needs the build (npm run build): web mode runs from out/web, bundled as the desktop app's main process is.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Browser } from '@playwright/test'
import { createPostproxyClient } from '../../electron/inbox/postproxy/index.ts'
import { openStore } from '../../electron/inbox/store/index.ts'
import { InboxSync } from '../../electron/inbox/sync/inbox-sync.ts'
import { firstRowStampingPage, launchChromium, openChatAt, startToFirstRow } from './support/browser.ts'
import { LoadSamples } from './support/machine-load.ts'
import type { PageGlobals } from './support/page-globals.ts'
import { killLeftovers, startNodeProcess, stopNodeProcess, type NodeProcess } from './support/node-process.ts'
import { processCpuSeconds } from './relay/process-cpu.ts'

const ACCOUNT = { chats: 1000, messagesPerChat: 50, seed: 1 }
const NETWORK = { latencyMs: 150, rateLimit: 10 }
const SYNC_TIMEOUT_MS = 10 * 60_000
const CLICKS = 9
/** First runs stopped at their first row, beside the full run's, for first_list_ms's median. */
const EXTRA_FIRST_LISTS = 2

type SimState = { chats: { id: string; last_inbound_at: string | null; last_outbound_at: string | null }[]; requests: { total: number; by_status: Record<string, number> } }

function simulatorArgs(): string[] {
  return [
    '--port', '0', '--chats', String(ACCOUNT.chats), '--messages-per-chat', String(ACCOUNT.messagesPerChat), '--seed', String(ACCOUNT.seed), '--no-alive',
    '--latency-ms', String(NETWORK.latencyMs), '--rate-limit', String(NETWORK.rateLimit)
  ]
}

async function simState(sim: NodeProcess): Promise<SimState> {
  const response = await fetch(`${sim.info.url}/_sim/state`, { headers: { authorization: `Bearer ${sim.info.apiKey}` } })
  return (await response.json()) as SimState
}

/** Chats whose newest message is the participant's: what the creator reads first. Computed here, not by the app's code. */
function awaitingReply(state: SimState): Set<string> {
  return new Set(state.chats.filter((c) => c.last_inbound_at !== null && (c.last_outbound_at === null || c.last_inbound_at >= c.last_outbound_at)).map((c) => c.id))
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const seconds = (ms: number) => Number((ms / 1000).toFixed(1))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What the cache holds, read from the web process's SQLite file (read-only, beside its writes). */
class CacheProbe {
  #db: Database.Database | null = null
  readonly #path: string

  constructor(path: string) {
    this.#path = path
  }

  #open(): Database.Database | null {
    try {
      this.#db ??= new Database(this.#path, { readonly: true, fileMustExist: true })
    } catch {
      return null
    }
    return this.#db
  }

  chatsWithMessages(): Set<string> {
    const db = this.#open()
    if (!db) return new Set()
    try {
      return new Set((db.prepare('SELECT DISTINCT chat_id FROM messages').all() as { chat_id: string }[]).map((r) => r.chat_id))
    } catch {
      return new Set() // not migrated yet
    }
  }

  initialSyncDone(profileId: string): boolean {
    try {
      return this.#open()?.prepare("SELECT value FROM sync_state WHERE scope = ? AND key = 'initial_sync_done'").get(profileId) !== undefined
    } catch {
      return false
    }
  }

  close(): void {
    this.#db?.close()
  }
}

/** More first runs, each stopped at its first row, on a simulator of their own. */
async function extraFirstLists(browser: Browser, dir: string): Promise<number[]> {
  const sim = await startNodeProcess('simulator/cli.ts', simulatorArgs())
  const times: number[] = []
  for (let run = 0; run < EXTRA_FIRST_LISTS; run++) {
    const page = await firstRowStampingPage(browser)
    const { web, ms } = await startToFirstRow(page, sim, join(dir, `first-list-${run}`))
    times.push(ms)
    await stopNodeProcess(web.child)
    await page.context().close()
  }
  await stopNodeProcess(sim.child)
  return times
}

async function appFirstRun(browser: Browser, dir: string) {
  const load = new LoadSamples()
  const sim = await startNodeProcess('simulator/cli.ts', simulatorArgs())
  const unread = awaitingReply(await simState(sim))
  const page = await firstRowStampingPage(browser)
  // The status bar's sync texts and progress values as they change.
  await page.addInitScript(() => {
    const g = globalThis as unknown as PageGlobals
    const syncTexts: string[] = []
    const progressValues: number[] = []
    g.__syncTexts = syncTexts
    g.__progressValues = progressValues
    new g.MutationObserver(() => {
      const bar = g.document.querySelector('[role="progressbar"]')
      if (bar) {
        const value = Number(bar.getAttribute('aria-valuenow'))
        if (progressValues.at(-1) !== value) progressValues.push(value)
        const text = bar.parentElement?.textContent?.replace(/·.*$/, '').trim() ?? ''
        if (text && syncTexts.at(-1) !== text) syncTexts.push(text)
      }
    }).observe(g.document, { childList: true, subtree: true, attributes: true, characterData: true })
  })

  const dataDir = join(dir, 'first-run')
  const probe = new CacheProbe(join(dataDir, 'inbox.db'))
  const { web, ms: firstListMs } = await startToFirstRow(page, sim, dataDir)
  const startedAt = web.spawnedAt
  console.log(`  process start -> URL announced ${(web.announcedAt - startedAt).toFixed(0)} ms; -> first chat row painted ${firstListMs.toFixed(0)} ms`)

  let unreadReadyMs: number | null = null
  let fullSyncMs: number | null = null
  const clicks: number[] = []
  const deadline = performance.now() + SYNC_TIMEOUT_MS
  while (performance.now() < deadline && fullSyncMs === null) {
    load.sample()
    if (unreadReadyMs === null) {
      const stored = probe.chatsWithMessages()
      if ([...unread].every((id) => stored.has(id))) {
        unreadReadyMs = performance.now() - startedAt
        console.log(`  every one of the ${unread.size} chats awaiting a reply has its newest page: ${seconds(unreadReadyMs)} s`)
      }
    } else if (clicks.length < CLICKS) {
      // While the rest of the history fills in: the creator clicks through the chats at the top.
      clicks.push((await openChatAt(page, 1 + (clicks.length % 6))).ms)
      continue
    }
    if (probe.initialSyncDone(sim.info.profileId)) fullSyncMs = performance.now() - startedAt
    else await sleep(250)
  }
  const webCpu = processCpuSeconds(web.pid)
  const state = await simState(sim)
  const texts = await page.evaluate(() => (globalThis as unknown as PageGlobals).__syncTexts as string[])
  const progressValues = await page.evaluate(() => (globalThis as unknown as PageGlobals).__progressValues as number[])
  probe.close()
  await page.context().close()
  await stopNodeProcess(web.child)
  await stopNodeProcess(sim.child)
  if (fullSyncMs === null) throw new Error('the first sync did not finish in time')
  console.log(`  first sync done: ${seconds(fullSyncMs)} s; Postproxy requests ${state.requests.total} ${JSON.stringify(state.requests.by_status)}; web mode CPU ${webCpu.toFixed(1)} s`)
  console.log(`  clicks during the history fill -> messages painted: median ${median(clicks).toFixed(0)} ms of ${clicks.map((c) => c.toFixed(0)).join(', ')}`)
  console.log(`  status bar said: ${texts.join(' -> ')}; progress bar went through ${progressValues.length} values (${progressValues[0]}% … ${progressValues.at(-1)}%)`)
  console.log(`  ${load.describe()}`)
  return {
    firstListMs,
    unreadReadyMs: unreadReadyMs ?? fullSyncMs,
    unreadChats: unread.size,
    fullSyncMs,
    requests: state.requests.total,
    refused: state.requests.by_status['429'] ?? 0,
    clickMs: median(clicks),
    progressVisible: texts.some((t) => /unread/i.test(t)) && texts.some((t) => /background/i.test(t)) && progressValues.length > 10,
    webCpu,
    load: load.range
  }
}

/** The sync as it was before pacing: the same core code, unpaced, 4 requests at a time. */
async function unpacedCoreSync(dir: string) {
  const load = new LoadSamples()
  const sim = await startNodeProcess('simulator/cli.ts', simulatorArgs())
  const store = openStore(join(dir, 'unpaced.db'))
  const client = createPostproxyClient({ baseUrl: sim.info.url, apiKey: sim.info.apiKey, requestRate: null, maxConcurrent: 4 })
  const sync = new InboxSync({ client, store, profileId: sim.info.profileId, concurrency: 4 })
  const started = performance.now()
  let outcome = 'finished'
  try {
    await sync.sync()
  } catch (error) {
    outcome = `failed: ${error instanceof Error ? error.message : String(error)}`
  }
  const ms = performance.now() - started
  const state = await simState(sim)
  store.close()
  await stopNodeProcess(sim.child)
  load.sample()
  console.log(`  ${outcome} after ${seconds(ms)} s; Postproxy requests ${state.requests.total} ${JSON.stringify(state.requests.by_status)}; ${load.describe()}`)
  return { ms, outcome, requests: state.requests.total, refused: state.requests.by_status['429'] ?? 0 }
}

const dir = mkdtempSync(join(tmpdir(), 'dmdesk-bench-network-'))
let browser: Browser | undefined
try {
  console.log(`network: ${ACCOUNT.chats.toLocaleString('en')} chats × ${ACCOUNT.messagesPerChat} messages, ${NETWORK.latencyMs} ms round trip, ${NETWORK.rateLimit} requests/s per key`)
  browser = await launchChromium()
  console.log('\n== the app (web mode + Chromium), first run, key given at start')
  const app = await appFirstRun(browser, dir)
  const firstLists = [app.firstListMs, ...(await extraFirstLists(browser, dir))]
  console.log(`  process start -> first chat row painted, ${firstLists.length} first runs: median ${median(firstLists).toFixed(0)} ms of ${firstLists.map((v) => v.toFixed(0)).join(', ')}`)
  console.log('\n== side by side: the core sync without pacing (as before), same network')
  const before = await unpacedCoreSync(dir)
  console.log(
    `\nratios: requests ${app.requests} vs ${before.requests} unpaced; 429s ${app.refused} vs ${before.refused}; first sync ${seconds(app.fullSyncMs)} s vs ${seconds(before.ms)} s (${before.outcome})`
  )
  console.log(
    JSON.stringify({
      first_list_ms: Math.round(median(firstLists)),
      unread_ready_s: seconds(app.unreadReadyMs),
      unread_chats: app.unreadChats,
      full_sync_s: seconds(app.fullSyncMs),
      sync_requests: app.requests,
      sync_429s: app.refused,
      click_during_sync_ms: Math.round(app.clickMs),
      progress_visible: app.progressVisible,
      web_cpu_s: Number(app.webCpu.toFixed(1)),
      unpaced_sync_s: seconds(before.ms),
      unpaced_requests: before.requests,
      unpaced_429s: before.refused,
      load_min: app.load.min,
      load_max: app.load.max
    })
  )
} finally {
  await browser?.close()
  killLeftovers()
  rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
