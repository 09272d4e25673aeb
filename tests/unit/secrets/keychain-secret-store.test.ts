// Runs against the real Secret Service: scripts/test.sh starts a private D-Bus session with an
// unlocked gnome-keyring and sets REQUIRE_KEYRING=1, so a missing keychain fails instead of skipping.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { KeychainSecretStore, MemorySecretStore, type SecretStore } from '../../../electron/inbox/secrets/index.ts'

const keychainReachable = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS)
if (process.env.REQUIRE_KEYRING === '1' && !keychainReachable) {
  throw new Error('REQUIRE_KEYRING=1 but there is no D-Bus session: run the tests through scripts/test.sh')
}

const stores: KeychainSecretStore[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) for (const name of await store.names()) await store.delete(name)
})

function contract(label: string, make: () => SecretStore) {
  describe(label, () => {
    it('round-trips, overwrites and deletes secrets', async () => {
      const store = make()
      expect(await store.get('postproxy-api-key')).toBeNull()
      await store.set('postproxy-api-key', 'pp_live_first')
      await store.set('postproxy-api-key', 'pp_live_second')
      await store.set('webhook-secret:wh_1', 'whsec_abc')
      expect(await store.get('postproxy-api-key')).toBe('pp_live_second')
      expect(await store.names()).toEqual(['postproxy-api-key', 'webhook-secret:wh_1'])
      expect(await store.delete('postproxy-api-key')).toBe(true)
      expect(await store.delete('postproxy-api-key')).toBe(false)
      expect(await store.get('postproxy-api-key')).toBeNull()
      expect(await store.names()).toEqual(['webhook-secret:wh_1'])
    })
  })
}

contract('MemorySecretStore', () => new MemorySecretStore())

describe.runIf(keychainReachable)('KeychainSecretStore (gnome-keyring on a private bus)', () => {
  contract('contract', () => {
    const store = new KeychainSecretStore(`dmdesk-test-${randomUUID()}`)
    stores.push(store)
    return store
  })

  it('keeps secrets per service, readable by a second instance (as after a restart)', async () => {
    const service = `dmdesk-test-${randomUUID()}`
    const a = new KeychainSecretStore(service)
    const other = new KeychainSecretStore(`dmdesk-test-${randomUUID()}`)
    stores.push(a, other)
    await a.set('relay-device-token:dev_1', 'tok_123')
    expect(await new KeychainSecretStore(service).get('relay-device-token:dev_1')).toBe('tok_123')
    expect(await other.get('relay-device-token:dev_1')).toBeNull()
  })

  it('says in plain words when the keychain is unreachable, without leaking the secret', async () => {
    const { execFileSync } = await import('node:child_process')
    // libsecret reads the bus address when it connects; a child process with a dead bus shows the failure.
    const script = `
      import { KeychainSecretStore } from './electron/inbox/secrets/index.ts'
      try { await new KeychainSecretStore('dmdesk-test-nobus').set('postproxy-api-key', 'pp_live_supersecret'); console.log('stored') }
      catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })) }`
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('../../..', import.meta.url).pathname,
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
      encoding: 'utf8'
    })
    const result = JSON.parse(out.trim().split('\n').pop()!)
    expect(result.name).toBe('SecretStoreError')
    expect(result.message).toMatch(/can't reach your system keychain/)
    expect(out).not.toContain('pp_live_supersecret')
  })
})
