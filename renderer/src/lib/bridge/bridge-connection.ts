/** Whether the renderer can reach the core: always `connected` in Electron; web mode's socket can drop. */
export type BridgeConnection = 'connecting' | 'connected' | 'reconnecting'
