// Counters an operator (and the benchmarks) can read through the handle: what the relay did, never
// what it carried.

export interface RelayMetrics {
  /** Webhooks committed (answered 200). */
  eventsStored: number
  /** Webhooks refused, by status (404 unknown token, 413 too large, 429 rate limited, 503 storage failure). */
  ingestRefused: Record<number, number>
  /** Largest number of webhooks committed in one transaction (group commit at work). */
  largestCommitBatch: number
  /** Times a stream stopped writing because its reader's socket buffer was full, then resumed on 'drain'. */
  backpressureWaits: number
  /** Streams closed because their reader took no bytes for the stall timeout. */
  stalledStreamsClosed: number
  /** Connections closed to make room at the connection cap (they had no request in progress). */
  connectionsEvicted: number
  /** Connections refused at the cap because every open one had a request in progress. */
  connectionsRefused: number
}

export function createMetrics(): RelayMetrics {
  return { eventsStored: 0, ingestRefused: {}, largestCommitBatch: 0, backpressureWaits: 0, stalledStreamsClosed: 0, connectionsEvicted: 0, connectionsRefused: 0 }
}

export function countRefusal(metrics: RelayMetrics, status: number): void {
  metrics.ingestRefused[status] = (metrics.ingestRefused[status] ?? 0) + 1
}
