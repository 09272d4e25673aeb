// A real inbox core signed in against a simulator, after its first sync: where the shell's tests start.
import type { InboxStatus } from '../../shared/inbox-api.ts'
import { Inbox, type InboxOptions } from '../../electron/inbox/inbox.ts'
import { MemorySecretStore } from '../../electron/inbox/secrets/index.ts'
import type { RunningSimulator } from '../../simulator/index.ts'

/** Resolves when the inbox next reports a finished sync (its first, when called before signing in). */
export function nextFinishedSync(inbox: Inbox): Promise<void> {
  return new Promise((resolve) => {
    const stop = inbox.on((name, payload) => {
      if (name === 'status' && (payload as InboxStatus).sync.lastSyncedAt !== null) {
        stop()
        resolve()
      }
    })
  })
}

export async function signedInInbox(sim: RunningSimulator, options: Partial<InboxOptions> & { dataDir: string }): Promise<Inbox> {
  const inbox = await Inbox.open({ secrets: new MemorySecretStore(), postproxyBaseUrl: sim.url, ...options })
  const synced = nextFinishedSync(inbox)
  const signedIn = await inbox.api.signIn({ apiKey: sim.apiKey })
  if (!signedIn.ok) throw new Error(`the simulator refused its own key: ${signedIn.error.message}`)
  await synced
  return inbox
}
