// startRelay: the composition root of the relay, used by the CLI, by demo mode and by the tests.
// It opens the store, wires ingest, streams and retention, and listens; `close()` undoes all of it.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateToken } from './auth.ts'
import { ChannelHub } from './channel-hub.ts'
import { CommitQueue } from './commit-queue.ts'
import { createMetrics, type RelayMetrics } from './metrics.ts'
import { resolveRelayConfig, type RelayOptions } from './options.ts'
import { IngestRateLimiter } from './rate-limit.ts'
import { RetentionSweeper } from './retention.ts'
import { createRelayServer } from './server.ts'
import { trackSpareConnections } from './spare-connections.ts'
import { RelayStorage, type SweepCounts } from './storage.ts'

export type { RateLimitSettings, RelayOptions, RetentionSettings, SynchronousMode } from './options.ts'
export { RelayConfigError } from './options.ts'
export { StorageError, type SweepCounts } from './storage.ts'
export type { GapFrameData, WebhookFrameData } from './sse-frames.ts'
export type { RelayMetrics } from './metrics.ts'

export const DATABASE_FILE = 'relay.sqlite'

export interface RelayHandle {
  /** Where the relay listens, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string
  /** The base of the ingest and events URLs it hands out: `publicUrl` when given, else `url`. */
  publicUrl: string
  adminToken: string
  /** Directory of the SQLite database (a temporary one, removed on close, when none was given). */
  dataDir: string
  metrics(): RelayMetrics & { openStreams: number }
  /** Runs the retention sweep now, at the relay clock's time (tests move the clock, then sweep). */
  sweep(): SweepCounts
  /** Stops accepting, ends every stream, commits what was fully received, closes the database. */
  close(): Promise<void>
}

/** How long close() lets open requests finish before cutting their connections. */
const CLOSE_GRACE_MS = 1000

export async function startRelay(options: RelayOptions = {}): Promise<RelayHandle> {
  const config = resolveRelayConfig(options)
  const temporaryDir = config.dataDir === null
  const dataDir = config.dataDir ?? mkdtempSync(join(tmpdir(), 'dmdesk-relay-'))
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  let storage: RelayStorage
  try {
    storage = new RelayStorage(join(dataDir, DATABASE_FILE), config.synchronous)
  } catch (error) {
    if (temporaryDir) rmSync(dataDir, { recursive: true, force: true })
    throw error
  }

  const adminToken = config.adminToken ?? generateToken('admin')
  const metrics = createMetrics()
  const hub = new ChannelHub({ maxStreamsPerChannel: config.maxStreamsPerChannel, maxStreams: config.maxStreams })
  const rateLimiter = config.rateLimit ? new IngestRateLimiter(config.rateLimit, config.now) : null
  const queue = new CommitQueue(storage, hub, metrics, {
    maxEvents: config.retention.channelMaxEvents,
    maxBytes: config.retention.channelMaxBytes
  })
  const sweeper = new RetentionSweeper(storage, config, rateLimiter)
  let url = ''
  const publicBaseUrl = (): string => config.publicUrl ?? url
  const server = createRelayServer({ storage, hub, queue, rateLimiter, config, metrics, adminToken, publicBaseUrl })
  const spareConnections = trackSpareConnections(server)

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(config.port, config.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    storage.close()
    if (temporaryDir) rmSync(dataDir, { recursive: true, force: true })
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new Error(`Port ${config.port} on ${config.host} is already in use; choose another with --port.`, { cause: error })
    if (code === 'EADDRNOTAVAIL') throw new Error(`This machine has no address ${config.host} to listen on.`, { cause: error })
    throw error
  }
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  url = `http://${host}:${address.port}`

  // Apply retention once now: the relay may have been down longer than the retention period.
  sweeper.sweep()
  sweeper.start()
  config.log(`relay listening on ${url}${config.publicUrl ? ` (public URL ${config.publicUrl})` : ''}, data in ${dataDir}`)

  let closing: Promise<void> | null = null
  const close = (): Promise<void> => {
    closing ??= (async () => {
      sweeper.stop()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      hub.closeAll()
      server.closeIdleConnections()
      spareConnections.closeAll()
      const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS)
      cut.unref()
      await closed
      clearTimeout(cut)
      await queue.drain()
      storage.close()
      if (temporaryDir) rmSync(dataDir, { recursive: true, force: true })
      config.log('relay stopped')
    })()
    return closing
  }

  return {
    url,
    publicUrl: publicBaseUrl(),
    adminToken,
    dataDir,
    metrics: () => ({ ...metrics, ingestRefused: { ...metrics.ingestRefused }, openStreams: hub.openStreams }),
    sweep: () => sweeper.sweep(),
    close
  }
}
