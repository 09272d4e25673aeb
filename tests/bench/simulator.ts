// Simulator benchmark: generate 10,000 chats x 100 messages, then list-chats latency and send
// throughput over real HTTP on 127.0.0.1. Targets: gen_s < 30, list_p50_ms < 5.
// Run: node tests/bench/simulator.ts   (the last stdout line is one JSON object of the figures)
import { startSimulator } from '../../simulator/index.ts'

const CHATS = 10_000
const MESSAGES_PER_CHAT = 100
const LIST_REQUESTS = 200
const SENDS = 2_000
const SEND_CONCURRENCY = 8
/** Every loop here is bounded in count; this bounds the whole run in time as well. */
const DEADLINE_MS = 10 * 60 * 1000

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]
}

function round(value: number, digits = 2): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.error('bench: over its time budget, giving up')
    process.exit(1)
  }, DEADLINE_MS)

  const genStarted = performance.now()
  const genCpu = process.cpuUsage()
  const sim = await startSimulator({ chats: CHATS, messagesPerChat: MESSAGES_PER_CHAT, seed: 42, alive: false, publishDelayMs: 1000 })
  const genSeconds = (performance.now() - genStarted) / 1000
  const { user, system } = process.cpuUsage(genCpu)
  const counts = sim.state.counts(sim.account)
  // CPU time next to wall time: on a busy machine the wall time says more about the neighbours.
  console.log(
    `generated ${counts.chats} chats / ${counts.messages} messages in ${genSeconds.toFixed(2)} s (${((user + system) / 1e6).toFixed(2)} s of CPU)`
  )

  const headers = { authorization: `Bearer ${sim.apiKey}` }
  try {
    // Warm up the connection pool and the statement cache.
    for (let i = 0; i < 20; i++) await (await fetch(`${sim.url}/api/profiles/${sim.profileId}/chats`, { headers })).arrayBuffer()

    const listTimes: number[] = []
    const pages = Math.floor(CHATS / 20)
    for (let i = 0; i < LIST_REQUESTS; i++) {
      // Mostly the first pages (what an inbox opens on), some deep ones.
      const page = i % 4 === 0 ? (i * 7919) % pages : i % 5
      const started = performance.now()
      const response = await fetch(`${sim.url}/api/profiles/${sim.profileId}/chats?page=${page}&per_page=20`, { headers })
      const body = (await response.json()) as { data: unknown[] }
      listTimes.push(performance.now() - started)
      if (response.status !== 200 || body.data.length !== 20) throw new Error(`list page ${page} answered ${response.status}`)
    }
    listTimes.sort((a, b) => a - b)
    const listP50 = percentile(listTimes, 0.5)
    console.log(
      `list chats (20 per page, ${LIST_REQUESTS} requests): p50 ${listP50.toFixed(2)} ms, p95 ${percentile(listTimes, 0.95).toFixed(2)} ms, max ${listTimes[listTimes.length - 1].toFixed(2)} ms`
    )

    const chatIds = sim.state.chatPage(sim.profileId, { page: 0, perPage: 100, beforeMs: null, afterMs: null }).data.map((chat) => chat.id)
    let next = 0
    let failures = 0
    const sendStarted = performance.now()
    const worker = async () => {
      while (next < SENDS) {
        const index = next++
        const response = await fetch(`${sim.url}/api/chats/${chatIds[index % chatIds.length]}/messages`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ body: `bench message ${index}` })
        })
        await response.arrayBuffer()
        if (response.status !== 202) failures++
      }
    }
    await Promise.all(Array.from({ length: SEND_CONCURRENCY }, worker))
    const sendSeconds = (performance.now() - sendStarted) / 1000
    const sendRps = SENDS / sendSeconds
    if (failures > 0) throw new Error(`${failures} sends were not accepted`)
    console.log(`send messages (${SENDS}, concurrency ${SEND_CONCURRENCY}): ${sendRps.toFixed(0)} per second`)

    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED')
    console.log(`targets: gen_s < 30 ${verdict(genSeconds < 30)}, list_p50_ms < 5 ${verdict(listP50 < 5)}`)
    console.log(JSON.stringify({ gen_s: round(genSeconds), list_p50_ms: round(listP50, 3), send_rps: round(sendRps, 0) }))
  } finally {
    await sim.close()
    clearTimeout(deadline)
  }
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`)
  process.exit(1)
})
