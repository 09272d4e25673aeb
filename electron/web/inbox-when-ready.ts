// Web mode serves the page while the core is still loading (Node reading and compiling the core's code
// is most of a cold start, and the browser can load the renderer meanwhile). This stands in for the core
// until it is ready: calls made before then wait for it and are answered in order, event listeners
// attach to it as soon as it exists, and a core that failed to start answers every call in plain words.
import type { InboxEventListener, InboxResult } from '../../shared/inbox-api.ts'
import type { WebInbox } from './web-server.ts'

const NOT_STARTED: InboxResult<never> = {
  ok: false,
  error: { code: 'internal', message: "dmdesk couldn't start. The terminal it runs in says why; fix that, then start dmdesk again." }
}

export function inboxWhenReady(ready: Promise<WebInbox>): WebInbox {
  // Observed once here, so a core that fails to start is not also an unhandled rejection.
  const core = ready.then(
    (inbox) => inbox,
    () => null
  )
  return {
    invoke: async (name, args) => {
      const inbox = await core
      return inbox ? inbox.invoke(name, args) : NOT_STARTED
    },
    on: (listener: InboxEventListener) => {
      let unsubscribe: (() => void) | null = null
      let unsubscribed = false
      void core.then((inbox) => {
        if (inbox && !unsubscribed) unsubscribe = inbox.on(listener)
      })
      return () => {
        unsubscribed = true
        unsubscribe?.()
      }
    },
    mediaFile: async (attachmentId) => (await core)?.mediaFile(attachmentId) ?? null
  }
}
