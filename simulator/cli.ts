#!/usr/bin/env node
// postproxy-simulator [options], or in a dmdesk checkout `npm run simulator -- [options]` (--help lists them)
// The first stdout line is one JSON object {"url","apiKey","profileId"} (and "profileIds" when there are
// several profiles), for whatever starts the simulator (demo mode, scripts) to read; everything else
// goes to stderr.
import { parseArgs } from 'node:util'
import { startSimulator, type SimulatorOptions } from './index.ts'

class UsageError extends Error {}
class HelpRequested extends Error {}

const USAGE = `Usage: postproxy-simulator [options]      (in a dmdesk checkout: npm run simulator -- [options])

A Postproxy-compatible server on 127.0.0.1 (see simulator/README.md). Its first stdout line is
{"url","apiKey","profileId"} (with --profiles multi also "profileIds"); logs go to stderr.
SIGINT / SIGTERM stop it cleanly.

Options:
  --port N                   port to listen on; 0 (default) picks a free one
  --scenario demo|empty      demo (default): a believable creator inbox; empty: just the profile
  --profiles single|multi    single (default): one Instagram profile; multi: also a Facebook Page
                             (Messenger), a TikTok account and a second Instagram account, each with
                             its own chats, posts and comments in the demo
  --chats N                  scale data: N chats (implies the scale scenario) ...
  --messages-per-chat M      ... of M messages each
  --chats-on-every-profile   with --chats and --profiles multi: every profile with DMs (both
                             Instagram accounts and the Page) gets the N chats, not only the first
  --seed S                   seed for scenario data and personas (default 1)
  --strict-window            a send outside the messaging window answers 422 at once
  --data FILE                keep the state in an SQLite file (reused with its key and data)
  --no-alive                 no personas keeping the demo inbox moving (on by default)
  --alive-interval-ms MS     mean time between persona actions (default 8000)
  --publish-delay-ms MS      simulated time from a send's 202 to its outcome (default 1000)
  --rate-limit N             N requests per window per key (default off)
  --rate-window-ms MS        the rate limit's window (default 1000)
  --latency-ms MS            network round trip added to every Postproxy request, e.g. 150 for a
                             client in Europe (default 0; the control API /_sim/ has none)
  --api-key KEY              a fixed key instead of a random one
  --retry-delay-scale X      multiplies the webhook retry schedule (default 1)
  -h, --help                 print this help and exit
`

function wholeNumber(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isInteger(number) || number < min) throw new UsageError(`${flag} must be a whole number of at least ${min}, not "${value}".`)
  return number
}

function optionsFrom(argv: string[]): SimulatorOptions {
  const { values } = parseArgs({
    args: argv,
    allowNegative: true,
    options: {
      port: { type: 'string' },
      scenario: { type: 'string' },
      profiles: { type: 'string' },
      chats: { type: 'string' },
      'messages-per-chat': { type: 'string' },
      'chats-on-every-profile': { type: 'boolean' },
      seed: { type: 'string' },
      'strict-window': { type: 'boolean' },
      data: { type: 'string' },
      alive: { type: 'boolean', default: true },
      'alive-interval-ms': { type: 'string' },
      'publish-delay-ms': { type: 'string' },
      'rate-limit': { type: 'string' },
      'rate-window-ms': { type: 'string' },
      'latency-ms': { type: 'string' },
      'api-key': { type: 'string' },
      'retry-delay-scale': { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help) throw new HelpRequested()
  const scenario = values.scenario
  if (scenario !== undefined && scenario !== 'demo' && scenario !== 'empty' && scenario !== 'scale') {
    throw new UsageError(`--scenario must be demo or empty (or use --chats N --messages-per-chat M), not "${scenario}".`)
  }
  const profiles = values.profiles
  if (profiles !== undefined && profiles !== 'single' && profiles !== 'multi') {
    throw new UsageError(`--profiles must be single or multi, not "${profiles}".`)
  }
  if (values['chats-on-every-profile'] && (values.chats === undefined || profiles !== 'multi')) {
    throw new UsageError('--chats-on-every-profile needs --chats N and --profiles multi.')
  }
  const rateLimit = wholeNumber(values['rate-limit'], '--rate-limit', 1)
  const retryDelayScale = values['retry-delay-scale'] === undefined ? undefined : Number(values['retry-delay-scale'])
  if (retryDelayScale !== undefined && !(retryDelayScale >= 0)) throw new UsageError('--retry-delay-scale must be a number of at least 0.')
  return {
    port: wholeNumber(values.port, '--port', 0) ?? 0,
    scenario,
    multiProfile: profiles === 'multi',
    chats: wholeNumber(values.chats, '--chats', 0),
    messagesPerChat: wholeNumber(values['messages-per-chat'], '--messages-per-chat', 0),
    chatsOnEveryProfile: values['chats-on-every-profile'] ?? false,
    seed: wholeNumber(values.seed, '--seed', 0),
    strictWindow: values['strict-window'] ?? false,
    dataFile: values.data ?? null,
    alive: values.alive,
    aliveIntervalMs: wholeNumber(values['alive-interval-ms'], '--alive-interval-ms', 1),
    publishDelayMs: wholeNumber(values['publish-delay-ms'], '--publish-delay-ms', 0),
    rateLimit: rateLimit === undefined ? null : { limit: rateLimit, windowMs: wholeNumber(values['rate-window-ms'], '--rate-window-ms', 1) ?? 1000 },
    latencyMs: wholeNumber(values['latency-ms'], '--latency-ms', 0),
    apiKey: values['api-key'],
    retryDelayScale
  }
}

async function main(): Promise<void> {
  let options: SimulatorOptions
  try {
    options = optionsFrom(process.argv.slice(2))
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(USAGE)
      return
    }
    process.stderr.write(`simulator: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
    process.exitCode = 2
    return
  }
  const simulator = await startSimulator(options)
  const announced = { url: simulator.url, apiKey: simulator.apiKey, profileId: simulator.profileId }
  // Every profile's id too, when there are several (the single-profile line stays as it always was).
  const ready = simulator.profileIds.length > 1 ? { ...announced, profileIds: simulator.profileIds } : announced
  process.stdout.write(`${JSON.stringify(ready)}\n`)
  process.stderr.write(`simulator: listening on ${simulator.url} (control API under /_sim/, see simulator/README.md)\n`)

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`simulator: ${signal} received, shutting down\n`)
    simulator.close().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`simulator: shutdown failed: ${String(error)}\n`)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error) => {
  process.stderr.write(`simulator: could not start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
