// The unified inbox (issue #13; part of `npm run bench -- app`, in a process of its own): web mode, driven
// by Chromium, over a key with three messaging profiles (two Instagram accounts and a Facebook Page).
// - unified_list_paint_ms: warm cache of 3 profiles × 3,000 chats, no profile filter, navigation -> chat
//   list painted (median of 7; target < 1000). Each round checks that the painted rows are chats of all
//   three profiles, not of one.
// Prints human lines, then one JSON line. Needs the build (npm run build): web mode runs from out/web.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from '@playwright/test'
import { createPostproxyClient } from '../../electron/inbox/postproxy/index.ts'
import { openStore } from '../../electron/inbox/store/index.ts'
import { chatsList, launchChromium } from './support/browser.ts'
import { LoadSamples } from './support/machine-load.ts'
import { killLeftovers, startNodeProcess, stopNodeProcess, WEB_MODE } from './support/node-process.ts'
import { benchLanes, cachedChatIds } from './support/profile-lanes.ts'

const CHATS_PER_PROFILE = 3_000
const ROUNDS = 7
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

const dir = mkdtempSync(join(tmpdir(), 'dmdesk-bench-app-profiles-'))
let browser: Browser | undefined
try {
  // ---- the warm cache: one real first pass of the core's lanes over the three profiles, unpaced (loopback)
  const sim = await startNodeProcess('simulator/cli.ts', [
    '--port', '0', '--profiles', 'multi', '--chats', String(CHATS_PER_PROFILE), '--messages-per-chat', '2', '--chats-on-every-profile', '--seed', '3', '--no-alive'
  ])
  const dataDir = join(dir, 'live')
  mkdirSync(dataDir, { recursive: true })
  const syncStarted = performance.now()
  const store = openStore(join(dataDir, 'inbox.db'))
  const client = createPostproxyClient({ baseUrl: sim.info.url, apiKey: sim.info.apiKey, requestRate: null })
  const lanes = benchLanes(store, await client.listProfiles(), () => client)
  await lanes.sync()
  const laneProfiles = lanes.all().map((lane) => lane.profile)
  // Which profile each chat belongs to, to tell whose rows the list paints.
  const chatProfile = new Map<string, string>()
  const cached = laneProfiles.map((profile) => {
    const ids = cachedChatIds(store, profile.id)
    for (const id of ids) chatProfile.set(id, profile.id)
    return ids.length
  })
  store.close()
  console.log(`warm cache: ${laneProfiles.map((p, i) => `${p.name} (${p.platform}) ${cached[i]}`).join(', ')} chats, synced by the core in ${((performance.now() - syncStarted) / 1000).toFixed(1)} s`)
  if (laneProfiles.length !== 3 || cached.some((count) => count !== CHATS_PER_PROFILE)) {
    throw new Error(`expected 3 messaging profiles of ${CHATS_PER_PROFILE} chats each in the cache, got ${cached.join(', ')}`)
  }

  const web = await startNodeProcess(WEB_MODE, ['--port', '0', '--data-dir', dataDir, '--memory-secrets'], { POSTPROXY_BASE_URL: sim.info.url, POSTPROXY_API_KEY: sim.info.apiKey })
  browser = await launchChromium()
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await page.goto(web.info.url)
  await chatsList(page).getByRole('listitem').first().waitFor({ timeout: 60_000 }) // first load warms the HTTP cache

  // ---- unified_list_paint_ms
  const load = new LoadSamples()
  const paints: number[] = []
  let profilesOnScreen = 0
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now()
    await page.goto(web.info.url)
    await chatsList(page).getByRole('listitem').first().waitFor()
    paints.push(performance.now() - started)
    load.sample()
    // Outside the timing: the painted rows (the top of the list) are chats of every profile.
    const rowChats = await chatsList(page).getByRole('button').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-chat-id')))
    const seen = new Set(rowChats.map((id) => (id ? chatProfile.get(id) : undefined)).filter((id) => id !== undefined))
    if (seen.size !== laneProfiles.length) throw new Error(`the list painted chats of ${seen.size} profile(s), not of all ${laneProfiles.length}: ${rowChats.length} rows`)
    profilesOnScreen = seen.size
  }
  console.log(`unified chat list painted after navigation (3 profiles x 3,000 chats, rows of all ${profilesOnScreen}): median ${median(paints).toFixed(0)} ms of ${paints.map((p) => p.toFixed(0)).join(', ')}; ${load.describe()}`)
  await stopNodeProcess(web.child)
  await stopNodeProcess(sim.child)

  console.log(
    JSON.stringify({
      unified_list_paint_ms: Math.round(median(paints)),
      unified_list_profiles: profilesOnScreen,
      unified_list_load_min: load.range.min,
      unified_list_load_max: load.range.max
    })
  )
} finally {
  await browser?.close()
  killLeftovers()
  rmSync(dir, { recursive: true, force: true })
}
