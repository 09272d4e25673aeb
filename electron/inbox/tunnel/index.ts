// The relay tunnel client: the public surface for the rest of the core (and demo mode).
export { Tunnel, type TunnelEvents, type TunnelOptions } from './tunnel.ts'
export {
  TunnelPairing,
  PairingError,
  DEFAULT_ROTATION_OVERLAP_MS,
  type PairingRecord,
  type PreparedPairing,
  type ReplacedPairing,
  type WebhookKey,
  type UnpairReport,
  type PairingClient,
  type TunnelPairingOptions
} from './pairing.ts'
export { RelayClient, type RelayEndpoint, type FrameOutcome, type GapNotice, type RelayClientEvents, type RelayClientOptions } from './relay-client.ts'
export { EventApplier, type AppliedChanges, type ApplyEventResult, type EventApplierOptions } from './event-applier.ts'
export { SmeeTunnel, SMEE_PRIVACY_WARNING, DEFAULT_SMEE_RECONCILE_MS, hintFrom, type SmeeHint, type SmeeTunnelEvents, type SmeeTunnelOptions } from './smee.ts'
export { RelayAdminClient, RelayAdminError, normaliseRelayUrl, type RelayAdminProblem } from './relay-admin.ts'
export { inboxErrorFromTunnel } from './tunnel-errors.ts'
export { EventStreamConnection, DEFAULT_WATCHDOG_MS, type StreamState, type EventStreamConnectionOptions } from './event-stream-connection.ts'
export { SseParser, type SseEvent } from './sse-parser.ts'
export { verifyWebhookFrame, SUPPORTED_FRAME_VERSION, type FrameVerdict, type RejectionReason } from './webhook-frame.ts'
export { ReconcileScheduler } from './reconcile-scheduler.ts'
export { reconnectDelayMs, DEFAULT_RECONNECT_DELAY, type ReconnectDelayOptions } from './reconnect-delay.ts'
