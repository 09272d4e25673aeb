#!/usr/bin/env node
// The relay as a program: `node relay/cli.ts [options]` (or `npm run relay -- [options]`).
// Its first stdout line is exactly one JSON object, `{"url":"http://…"}`, for scripts and tests to read;
// everything else (where the admin token is — never the token —, log lines, errors) goes to stderr. SIGINT/SIGTERM stop it cleanly.
import { mkdirSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { resolveAdminToken, saveAdminToken } from './admin-token.ts'
import { startRelay, type RelayOptions } from './index.ts'
import { DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_STREAMS, DEFAULT_MAX_STREAMS_PER_CHANNEL, DEFAULT_RATE_LIMIT, DEFAULT_RETENTION } from './options.ts'

const HELP = `Usage: dmdesk-relay [options]     (in a checkout: node relay/cli.ts [options], or npm run relay -- [options])

  --port N                 TCP port (default 0: any free port)
  --host ADDR              interface to listen on (default 127.0.0.1; put a TLS reverse proxy in front)
  --data DIR               directory of the SQLite database (default: a temporary one, deleted on exit)
  --admin-token T          admin token (better: RELAY_ADMIN_TOKEN; default: DIR/admin-token, generated once)
  --public-url URL         public base URL used in ingest URLs, e.g. https://relay.example.com
  --retention-days N       delete events this many days after arrival (default ${DEFAULT_RETENTION.maxAgeMs / 86_400_000})
  --acked-grace-hours N    keep events this long after every device acked them (default ${DEFAULT_RETENTION.ackedGraceMs / 3_600_000})
  --channel-max-events N   per-channel cap, oldest evicted first (default ${DEFAULT_RETENTION.channelMaxEvents})
  --channel-max-mb N       per-channel cap in MiB, oldest evicted first (default ${DEFAULT_RETENTION.channelMaxBytes / 1_048_576})
  --body-limit-bytes N     largest accepted webhook body (default 1048576)
  --rate N                 sustained webhooks per second per channel (default ${DEFAULT_RATE_LIMIT.eventsPerSecond})
  --burst N                webhooks a channel may send at once (default ${DEFAULT_RATE_LIMIT.burst})
  --rate-mb N              sustained webhook body MiB per second per channel (default ${DEFAULT_RATE_LIMIT.bytesPerSecond / 1_048_576})
  --burst-mb N             webhook body MiB a channel may send at once (default ${DEFAULT_RATE_LIMIT.burstBytes / 1_048_576})
  --no-rate-limit          accept webhooks as fast as they come
  --heartbeat-ms N         heartbeat interval of event streams (default 15000)
  --synchronous MODE       full (default: fsync each commit) or normal (survives a crash, not a power cut)
  --max-connections N      open connections at most (default ${DEFAULT_MAX_CONNECTIONS}); at the cap a new one replaces the longest-idle one
  --max-streams N          open event streams on the relay at most (default ${DEFAULT_MAX_STREAMS}); over it: 503
  --max-streams-per-channel N  open event streams per channel at most (default ${DEFAULT_MAX_STREAMS_PER_CHANNEL}; one per device); over it: 429
  --smee                   also serve the read-only smee.io-compatible stream at /smee/<device token>
  --quiet                  no log lines on stderr (errors, and where the admin token is, still go there)
  --help                   this text
`

function numberOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number, not "${String(raw)}".`)
  return value
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'admin-token': { type: 'string' },
      'public-url': { type: 'string' },
      'retention-days': { type: 'string' },
      'acked-grace-hours': { type: 'string' },
      'channel-max-events': { type: 'string' },
      'channel-max-mb': { type: 'string' },
      'body-limit-bytes': { type: 'string' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      'rate-mb': { type: 'string' },
      'burst-mb': { type: 'string' },
      'no-rate-limit': { type: 'boolean' },
      'heartbeat-ms': { type: 'string' },
      synchronous: { type: 'string' },
      'max-connections': { type: 'string' },
      'max-streams': { type: 'string' },
      'max-streams-per-channel': { type: 'string' },
      smee: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' }
    },
    strict: true
  })
  if (values.help) {
    process.stderr.write(HELP)
    return
  }
  const dataDir = values.data
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const admin = resolveAdminToken(values['admin-token'], process.env.RELAY_ADMIN_TOKEN, dataDir)
  const days = numberOption(values, 'retention-days')
  const graceHours = numberOption(values, 'acked-grace-hours')
  const maxMb = numberOption(values, 'channel-max-mb')
  const mebibytes = (value: number | undefined): number | undefined => (value === undefined ? undefined : value * 1_048_576)
  const synchronous = values.synchronous
  if (synchronous !== undefined && synchronous !== 'full' && synchronous !== 'normal') {
    throw new Error(`--synchronous must be "full" or "normal", not "${synchronous}".`)
  }
  const options: RelayOptions = {
    port: numberOption(values, 'port'),
    host: values.host,
    dataDir,
    adminToken: admin.token,
    publicUrl: values['public-url'],
    heartbeatMs: numberOption(values, 'heartbeat-ms'),
    bodyLimitBytes: numberOption(values, 'body-limit-bytes'),
    retention: {
      maxAgeMs: days === undefined ? undefined : days * 86_400_000,
      ackedGraceMs: graceHours === undefined ? undefined : graceHours * 3_600_000,
      channelMaxEvents: numberOption(values, 'channel-max-events'),
      channelMaxBytes: mebibytes(maxMb)
    },
    rateLimit: values['no-rate-limit']
      ? false
      : {
          eventsPerSecond: numberOption(values, 'rate'),
          burst: numberOption(values, 'burst'),
          bytesPerSecond: mebibytes(numberOption(values, 'rate-mb')),
          burstBytes: mebibytes(numberOption(values, 'burst-mb'))
        },
    synchronous,
    smeeStream: values.smee ?? false,
    maxConnections: numberOption(values, 'max-connections'),
    maxStreams: numberOption(values, 'max-streams'),
    maxStreamsPerChannel: numberOption(values, 'max-streams-per-channel'),
    log: values.quiet ? undefined : (line) => process.stderr.write(`[relay] ${line}\n`)
  }

  const relay = await startRelay(options)
  const tokenNote = admin.note ?? saveAdminToken(relay.dataDir, relay.adminToken, ', a temporary directory deleted on exit')
  process.stderr.write(`[relay] ${tokenNote}\n`)
  process.stdout.write(`${JSON.stringify({ url: relay.url })}\n`)

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`[relay] ${signal} again: exiting at once\n`)
      process.exit(1)
    }
    stopping = true
    relay.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`[relay] stopping failed: ${error instanceof Error ? error.message : String(error)}\n`)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  process.stderr.write(`[relay] could not start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
