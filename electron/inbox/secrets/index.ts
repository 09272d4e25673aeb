export { SecretStoreError, type SecretName, type SecretStore } from './secret-store.ts'
export { KeychainSecretStore } from './keychain-secret-store.ts'
export { MemorySecretStore } from './memory-secret-store.ts'
