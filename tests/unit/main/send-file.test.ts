// An attachment from the Electron window: the page hands the preload the File the creator dropped, picked
// or pasted; the preload resolves the path Chromium knows for it (webUtils.getPathForFile) and main reads
// that file. The page itself can never name a path. The real preload and main IPC code run against the real
// core and the simulator; only Electron's runtime is faked (webUtils knows the paths of "dropped" Files).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { InboxBridge } from '../../../shared/inbox-api.ts'
import type { Inbox } from '../../../electron/inbox/inbox.ts'

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  /** The path of each File that came from the disk (a drop or the file picker); others were made in the page. */
  const diskPaths = new WeakMap<object, string>()
  const exposed: Record<string, unknown> = {}
  const appFrame = { url: 'app://dmdesk/index.html', parent: null }
  return { handlers, diskPaths, exposed, appFrame }
})

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (electron.exposed[key] = api) },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => electron.handlers.get(channel)!({ senderFrame: electron.appFrame }, ...args),
    on: () => {},
    removeListener: () => {}
  },
  webUtils: {
    getPathForFile: (file: unknown) => {
      if (!(file instanceof File)) throw new TypeError('not a File')
      return electron.diskPaths.get(file) ?? ''
    }
  }
}))

const { signedInInbox } = await import('../../support/signed-in-inbox.ts')
const { registerInboxIpc } = await import('../../../electron/main/ipc.ts')
const { startSimulator } = await import('../../../simulator/index.ts')
const { IPC_CALL_CHANNEL, IPC_SEND_FILE_CHANNEL } = await import('../../../shared/inbox-calls.ts')

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)])

let dir: string
let sim: Awaited<ReturnType<typeof startSimulator>>
let inbox: Inbox
let bridge: InboxBridge
let chatId: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-send-file-'))
  sim = await startSimulator({ scenario: 'demo', seed: 7 })
  inbox = await signedInInbox(sim, { dataDir: join(dir, 'data') })
  const chats = await inbox.api.listChats({ filter: 'window_open', limit: 1 })
  if (!chats.ok) throw new Error(chats.error.message)
  chatId = chats.value.chats[0].id
  const ipcMain = { handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => electron.handlers.set(channel, handler), removeHandler: () => {} }
  registerInboxIpc(ipcMain as never, inbox, 'app://dmdesk/')
  await import('../../../electron/preload/index.ts')
  bridge = electron.exposed.inbox as InboxBridge
})

afterAll(async () => {
  await inbox.close()
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A File as a drop or the file picker gives it: backed by a file on disk, whose path only Chromium knows. */
function droppedFile(path: string, bytes: Buffer): File {
  writeFileSync(path, bytes)
  const file = new File([bytes], path.split('/').at(-1)!)
  electron.diskPaths.set(file, path)
  return file
}

const mediaSends = () => inbox.cache.outbox.list().filter((item) => item.kind === 'media')

describe('sending a file from the Electron window', () => {
  it('sends a dropped or picked file, read by main from its own path, and a pasted one by its bytes', async () => {
    const dropped = await bridge.sendFile({ chatId, file: droppedFile(join(dir, 'glaze-sample.png'), PNG) })
    expect(dropped).toMatchObject({ ok: true, value: { chatId, attachments: [{ type: 'image' }] } })
    const pasted = await bridge.sendFile({ chatId, file: new File([PNG], 'image.png', { type: 'image/png' }) })
    expect(pasted).toMatchObject({ ok: true, value: { chatId, attachments: [{ type: 'image' }] } })
    // Both staged as copies in the data directory: the queued send survives the original moving.
    expect(mediaSends().map((item) => item.media!.path.startsWith(join(dir, 'data', 'outbox-media')))).toEqual([true, true])
  })

  it('carries the message a file answers, dropped or pasted, to the outbox row', async () => {
    const thread = await inbox.api.getThread({ chatId, limit: 20 })
    if (!thread.ok) throw new Error(thread.error.message)
    const quoted = thread.value.messages.find((m) => m.direction === 'inbound' && m.externalId)!
    const dropped = await bridge.sendFile({ chatId, file: droppedFile(join(dir, 'answer.png'), PNG), replyToExternalId: quoted.externalId })
    const pasted = await bridge.sendFile({ chatId, file: new File([PNG], 'image.png', { type: 'image/png' }), replyToExternalId: quoted.externalId })
    for (const sent of [dropped, pasted]) {
      expect(sent).toMatchObject({ ok: true, value: { replyTo: { externalId: quoted.externalId, state: 'loaded', messageId: quoted.id } } })
    }
    expect(mediaSends().slice(-2).map((item) => item.extras)).toEqual([
      { reply_to_external_id: quoted.externalId },
      { reply_to_external_id: quoted.externalId }
    ])
  })

  it('gives the page no way to name a path', async () => {
    expect(Object.keys(bridge).some((key) => /path/i.test(key))).toBe(false)
    const before = mediaSends().length
    const photo = droppedFile(join(dir, 'photo.png'), PNG)
    const answers = []
    for (const path of [electron.diskPaths.get(photo)!, join(dir, 'missing.png'), '/etc/passwd']) {
      // From the page through the bridge, and forged straight onto the main channel (a compromised preload).
      answers.push(await bridge.sendMedia({ chatId, media: { path } as never }))
      answers.push(await electron.handlers.get(IPC_CALL_CHANNEL)!({ senderFrame: electron.appFrame }, 'sendMedia', { chatId, media: { path } }))
    }
    expect(answers[0]).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
    expect(answers.slice(1)).toEqual(answers.slice(0, -1))
    expect(mediaSends().length).toBe(before)
  })

  it('answers every chosen file it cannot send with one message, whatever is at its path', async () => {
    const before = mediaSends().length
    mkdirSync(join(dir, 'a-folder'))
    execFileSync('mkfifo', [join(dir, 'a-pipe')])
    const chosen = [join(dir, 'gone.png'), join(dir, 'a-folder'), join(dir, 'a-pipe'), '/etc/passwd', '/dev/zero', 'relative.png']
    const send = (file: unknown) => electron.handlers.get(IPC_SEND_FILE_CHANNEL)!({ senderFrame: electron.appFrame }, { chatId, tag: null, file })
    const answers = []
    for (const path of chosen) answers.push(await send({ path }))
    // A File whose disk copy was replaced by something Instagram refuses after it was dropped.
    answers.push(await bridge.sendFile({ chatId, file: droppedFile(join(dir, 'notes.png'), Buffer.from('just notes, not a picture')) }))
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1)
    expect(answers[0]).toEqual({ ok: false, error: { code: 'media_rejected', message: expect.stringMatching(/^dmdesk can't send that file\. /) } })
    expect(mediaSends().length).toBe(before)
    // A request from another page is refused before anything is read.
    const foreign = await electron.handlers.get(IPC_SEND_FILE_CHANNEL)!({ senderFrame: { url: 'https://evil.example/', parent: null } }, { chatId, tag: null, file: { path: join(dir, 'photo.png') } })
    expect(foreign).toMatchObject({ ok: false, error: { message: expect.stringMatching(/did not come from the dmdesk window/) } })
  })
})
