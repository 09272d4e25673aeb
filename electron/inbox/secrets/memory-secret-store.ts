import type { SecretName, SecretStore } from './secret-store.ts'

/** For tests of code that needs a SecretStore but not the keychain itself. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<SecretName, string>()

  async get(name: SecretName): Promise<string | null> {
    return this.values.get(name) ?? null
  }

  async set(name: SecretName, value: string): Promise<void> {
    this.values.set(name, value)
  }

  async delete(name: SecretName): Promise<boolean> {
    return this.values.delete(name)
  }

  async names(): Promise<SecretName[]> {
    return [...this.values.keys()].sort()
  }
}
