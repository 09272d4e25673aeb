// What web mode's page talks to while the core starts (electron/web/inbox-when-ready.ts): calls wait for
// the core and are answered in order, listeners attach when it exists, and a core that failed to start
// answers in plain words instead of leaving the page waiting.
import { describe, expect, it } from 'vitest'
import type { InboxEventListener, InboxResult } from '../../../shared/inbox-api.ts'
import { inboxWhenReady } from '../../../electron/web/inbox-when-ready.ts'
import type { WebInbox } from '../../../electron/web/web-server.ts'

/** A core that records the calls it answered and lets the test push events. */
function recordingCore() {
  const answered: string[] = []
  const listeners = new Set<InboxEventListener>()
  const core: WebInbox = {
    invoke: async (name) => {
      answered.push(name)
      return { ok: true, value: name } as InboxResult<unknown>
    },
    on: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    mediaFile: async (id) => ({ path: `/cache/${id}`, mime: 'image/png' })
  }
  const emit = (payload: unknown) => {
    for (const listener of listeners) listener('status', payload as never)
  }
  return { core, answered, listeners, emit }
}

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('the page before the core is ready', () => {
  it('answers calls made while starting once the core is there, in the order they came', async () => {
    const { core, answered } = recordingCore()
    const starting = deferred<WebInbox>()
    const inbox = inboxWhenReady(starting.promise)
    const first = inbox.invoke('getSession', undefined)
    const second = inbox.invoke('listChats', { limit: 5 })
    const media = inbox.mediaFile('att_1')
    expect(answered).toEqual([])
    starting.resolve(core)
    expect(await first).toEqual({ ok: true, value: 'getSession' })
    expect(await second).toEqual({ ok: true, value: 'listChats' })
    expect(await media).toEqual({ path: '/cache/att_1', mime: 'image/png' })
    expect(answered).toEqual(['getSession', 'listChats'])
  })

  it('attaches a listener added while starting, and never one removed before the core was there', async () => {
    const { core, listeners, emit } = recordingCore()
    const starting = deferred<WebInbox>()
    const inbox = inboxWhenReady(starting.promise)
    const kept: unknown[] = []
    inbox.on((_name, payload) => kept.push(payload))
    const gone = inbox.on(() => kept.push('never'))
    gone()
    starting.resolve(core)
    await inbox.invoke('getSession', undefined)
    expect(listeners.size).toBe(1)
    emit('after start')
    expect(kept).toEqual(['after start'])
  })

  it('answers in plain words when the core could not start, and serves no media', async () => {
    const starting = deferred<WebInbox>()
    const inbox = inboxWhenReady(starting.promise)
    const call = inbox.invoke('getSession', undefined)
    starting.reject(new Error('SQLITE_CANTOPEN'))
    expect(await call).toEqual({ ok: false, error: { code: 'internal', message: expect.stringMatching(/^dmdesk couldn't start\. The terminal it runs in says why/) } })
    expect(await inbox.mediaFile('att_1')).toBeNull()
    expect(() => inbox.on(() => {})()).not.toThrow()
  })
})
