import keytar from 'keytar'
import { SecretStoreError, type SecretName, type SecretStore } from './secret-store.ts'

const KEYCHAIN_UNAVAILABLE =
  "dmdesk can't reach your system keychain, so it can't keep your API key safely. On Linux, make sure a keyring such as GNOME Keyring is running and unlocked."

/** The OS keychain through keytar: macOS Keychain, Windows Credential Manager, libsecret on Linux. */
export class KeychainSecretStore implements SecretStore {
  readonly service: string

  /** `service` separates profiles (tests use a unique one per run). */
  constructor(service = 'dmdesk') {
    this.service = service
  }

  async get(name: SecretName): Promise<string | null> {
    return this.guard(() => keytar.getPassword(this.service, name))
  }

  async set(name: SecretName, value: string): Promise<void> {
    await this.guard(() => keytar.setPassword(this.service, name, value))
  }

  async delete(name: SecretName): Promise<boolean> {
    return this.guard(() => keytar.deletePassword(this.service, name))
  }

  async names(): Promise<SecretName[]> {
    const credentials = await this.guard(() => keytar.findCredentials(this.service))
    return credentials.map((c) => c.account as SecretName).sort()
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation()
    } catch (cause) {
      // keytar's errors can quote the call's arguments; only the cause object keeps them, never a log line.
      throw new SecretStoreError(KEYCHAIN_UNAVAILABLE, cause)
    }
  }
}
