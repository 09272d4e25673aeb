// Cold start and shutdown of the app (part of `npm run bench -- app`), web mode as built (out/web) with
// its API key given at start (as if stored), Chromium waiting for the URL. Prints human lines, then one
// JSON line:
// - cold_start_ms: process start -> first chat row painted, with a cache of 1,000,000 messages in 10,000
//   chats (median of 5; target < 1500)
// - cold_start_empty_ms: the same with an empty cache, the account's 40 chats fetched over loopback
//   (median of 5; target < 800)
// - cold_start_cpu_ms / cold_start_empty_cpu_ms: CPU the core process used from its start to that paint
//   (median; what a busy machine does not stretch)
// - shutdown_ms: SIGTERM -> process exited, the 1M cache open, the page connected, a draft saved and a send
//   queued just before (median of 5; target < 1000); shutdown_lost: drafts or sends missing afterwards (0)
// Needs the build (npm run build).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from '@playwright/test'
import { openStore } from '../../electron/inbox/store/index.ts'
import type { Chat, Message } from '../../shared/postproxy.ts'
import { connectWebBridge } from '../support/web-bridge-client.ts'
import { firstRowStampingPage, launchChromium, startToFirstRow } from './support/browser.ts'
import { LoadSamples } from './support/machine-load.ts'
import { killLeftovers, startNodeProcess, stopNodeProcess, type NodeProcess } from './support/node-process.ts'
import { processCpuSeconds } from './relay/process-cpu.ts'

const BIG = { chats: 10_000, messagesPerChat: 100 }
// Five runs: a single start varies by ±0.2 s on these 2 cores, more than the changes it is meant to show.
const RUNS = 5
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

const PHRASES = ['hi! is the blue glaze back', 'can you ship to Lisbon', 'thank you so much', 'what size is the large bowl', 'love the new mugs', 'is the workshop on Saturday full', 'could I pay by bank transfer', 'the parcel arrived today']

/** A cache as a long-time creator's: 10,000 chats × 100 messages, stored as a sync would store them. */
function buildBigCache(path: string, profileId: string): void {
  const store = openStore(path)
  const now = Date.now()
  const chats: Chat[] = Array.from({ length: BIG.chats }, (_, c) => {
    const last = new Date(now - c * 600_000).toISOString()
    return {
      id: `chat_cold_${c}`,
      profile_id: profileId,
      platform: 'instagram',
      participant_external_id: `igsid_cold_${c}`,
      participant_username: `fan.number.${c}`,
      participant_name: `Fan ${c}`,
      participant_avatar_url: null,
      external_conversation_id: `t_cold_${c}`,
      last_inbound_at: last,
      last_outbound_at: new Date(now - c * 600_000 - 60_000).toISOString(),
      last_message_at: last,
      created_at: new Date(now - 400 * 86_400_000).toISOString()
    }
  })
  for (let i = 0; i < chats.length; i += 1000) store.chats.upsertChats(chats.slice(i, i + 1000))
  let batch: Message[] = []
  for (let c = 0; c < BIG.chats; c++) {
    const lastMs = now - c * 600_000
    for (let m = 0; m < BIG.messagesPerChat; m++) {
      const at = new Date(lastMs - (BIG.messagesPerChat - 1 - m) * 3_600_000).toISOString()
      const inbound = m % 2 === 1
      batch.push({
        id: `msg_cold_${c}_${m}`,
        chat_id: `chat_cold_${c}`,
        external_id: `mid.cold.${c}.${m}`,
        direction: inbound ? 'inbound' : 'outbound',
        body: `${PHRASES[(c + m) % PHRASES.length]} (${c}/${m})`,
        status: inbound ? 'received' : 'published',
        created_at: at,
        external_posted_at: at
      })
      if (batch.length === 5000) {
        store.messages.upsertMessages(batch)
        batch = []
      }
    }
  }
  if (batch.length > 0) store.messages.upsertMessages(batch)
  store.chats.markAllRead()
  for (let c = 0; c < 40; c++) store.chats.markUnread(`chat_cold_${c}`)
  store.syncState.set(profileId, 'initial_sync_done', '1')
  store.syncState.set(profileId, 'chats_after', chats[0].last_message_at!)
  store.close()
}

/**
 * Spawns web mode and resolves when the first chat row is painted: ms from spawn, the CPU the core process
 * had used by then (ms; what the load of a shared machine does not stretch), and the process.
 */
async function coldStart(browser: Browser, dataDir: string, sim: NodeProcess): Promise<{ ms: number; cpuMs: number; web: NodeProcess }> {
  const { web, ms } = await startToFirstRow(await firstRowStampingPage(browser), sim, dataDir)
  return { ms, cpuMs: processCpuSeconds(web.pid) * 1000, web }
}

/** A draft and a queued send right before SIGTERM; how long the exit took; what of them is on disk after. */
async function shutdown(web: NodeProcess, dataDir: string, chatId: string, run: number): Promise<{ ms: number; lost: number }> {
  const bridge = await connectWebBridge(web.info.url)
  const draft = `draft before quitting ${run}`
  const text = `sent right before quitting ${run}`
  await bridge.call('saveDraft', { chatId, text: draft })
  const queued = await bridge.call('sendText', { chatId, text })
  const ms = await stopNodeProcess(web.child)
  const store = openStore(join(dataDir, 'inbox.db'))
  const page = store.messages.threadPage(chatId, { limit: 5 }).messages
  const lost = (store.drafts.get(chatId) === draft ? 0 : 1) + (queued.ok && page.some((m) => m.message.body === text) ? 0 : 1)
  store.close()
  return { ms, lost }
}

const dir = mkdtempSync(join(tmpdir(), 'dmdesk-bench-start-'))
let browser: Browser | undefined
try {
  const load = new LoadSamples()
  browser = await launchChromium()

  console.log('\n== cold start with an empty cache: the account\'s 40 chats over loopback')
  const demoSim = await startNodeProcess('simulator/cli.ts', ['--port', '0', '--scenario', 'demo', '--seed', '5', '--no-alive'])
  const empty: number[] = []
  const emptyCpu: number[] = []
  for (let run = 0; run < RUNS; run++) {
    const { ms, cpuMs, web } = await coldStart(browser, join(dir, `empty-${run}`), demoSim)
    empty.push(ms)
    emptyCpu.push(cpuMs)
    await stopNodeProcess(web.child)
    load.sample()
  }
  await stopNodeProcess(demoSim.child)
  console.log(`  process start -> first chat row painted: median ${median(empty).toFixed(0)} ms of ${empty.map((v) => v.toFixed(0)).join(', ')}; core CPU by then: median ${median(emptyCpu).toFixed(0)} ms`)

  console.log(`\n== cold start with ${(BIG.chats * BIG.messagesPerChat).toLocaleString('en')} messages in ${BIG.chats.toLocaleString('en')} chats cached`)
  const emptySim = await startNodeProcess('simulator/cli.ts', ['--port', '0', '--scenario', 'empty', '--no-alive'])
  const bigDir = join(dir, 'big')
  mkdirSync(bigDir)
  const built = performance.now()
  buildBigCache(join(bigDir, 'inbox.db'), emptySim.info.profileId)
  console.log(`  cache built in ${((performance.now() - built) / 1000).toFixed(0)} s`)
  const big: number[] = []
  const bigCpu: number[] = []
  const stops: number[] = []
  let lost = 0
  for (let run = 0; run < RUNS; run++) {
    const { ms, cpuMs, web } = await coldStart(browser, bigDir, emptySim)
    big.push(ms)
    bigCpu.push(cpuMs)
    const stopped = await shutdown(web, bigDir, 'chat_cold_3', run)
    stops.push(stopped.ms)
    lost += stopped.lost
    load.sample()
  }
  await stopNodeProcess(emptySim.child)
  console.log(`  process start -> first chat row painted: median ${median(big).toFixed(0)} ms of ${big.map((v) => v.toFixed(0)).join(', ')}; core CPU by then: median ${median(bigCpu).toFixed(0)} ms`)
  console.log(`  SIGTERM -> exited (a draft saved and a send queued just before): median ${median(stops).toFixed(0)} ms of ${stops.map((v) => v.toFixed(0)).join(', ')}; lost afterwards: ${lost}`)
  console.log(`  ${load.describe()}`)
  console.log(
    JSON.stringify({
      cold_start_ms: Math.round(median(big)),
      cold_start_empty_ms: Math.round(median(empty)),
      cold_start_cpu_ms: Math.round(median(bigCpu)),
      cold_start_empty_cpu_ms: Math.round(median(emptyCpu)),
      shutdown_ms: Math.round(median(stops)),
      shutdown_lost: lost,
      start_load_min: load.range.min,
      start_load_max: load.range.max
    })
  )
} finally {
  await browser?.close()
  killLeftovers()
  rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
