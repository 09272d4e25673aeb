// Secrets (the Postproxy API key, webhook secrets, relay device tokens) live only in the OS keychain
// and in main-process memory: never in SQLite, logs, IPC payloads or the renderer.

/** The named secrets dmdesk keeps. */
export type SecretName =
  | 'postproxy-api-key'
  | `postproxy-api-key:${string}`
  | `webhook-secret:${string}`
  | `relay-device-token:${string}`

export interface SecretStore {
  get(name: SecretName): Promise<string | null>
  set(name: SecretName, value: string): Promise<void>
  /** Resolves true when something was deleted. */
  delete(name: SecretName): Promise<boolean>
  /** Names currently stored (values are never listed). */
  names(): Promise<SecretName[]>
}

export class SecretStoreError extends Error {
  readonly userMessage: string
  constructor(userMessage: string, cause: unknown) {
    super(userMessage, { cause })
    this.name = 'SecretStoreError'
    this.userMessage = userMessage
  }
}
