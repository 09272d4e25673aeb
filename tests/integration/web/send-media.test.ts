// Web mode takes an attachment's bytes, never a path: a page (or anything else that got the token) can't
// make the core read a local file, nor learn from the answer whether one exists. Real core, real
// simulator, the real web server, over its WebSocket.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Inbox } from '../../../electron/inbox/inbox.ts'
import { startWebServer, type RunningWebServer } from '../../../electron/web/web-server.ts'
import { startSimulator, type RunningSimulator } from '../../../simulator/index.ts'
import { signedInInbox } from '../../support/signed-in-inbox.ts'
import { connectWebBridge, type WebBridgeClient } from '../../support/web-bridge-client.ts'

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)])

let dir: string
let sim: RunningSimulator
let inbox: Inbox
let server: RunningWebServer
let page: WebBridgeClient

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-web-media-'))
  sim = await startSimulator({ scenario: 'demo', seed: 7 })
  inbox = await signedInInbox(sim, { dataDir: join(dir, 'data') })
  mkdirSync(join(dir, 'renderer'))
  server = await startWebServer({ rendererDir: join(dir, 'renderer'), inbox: { invoke: (name, args) => inbox.invoke(name, args), on: (l) => inbox.on(l), mediaFile: (id) => inbox.mediaFile(id) } })
  page = await connectWebBridge(server.url)
})

afterEach(async () => {
  page.socket.terminate()
  await server.close()
  await inbox.close()
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

const call = (name: string, args: unknown) => page.call(name, args)

async function openChatId(): Promise<string> {
  const chats = await inbox.api.listChats({ filter: 'window_open', limit: 1 })
  if (!chats.ok || chats.value.chats.length === 0) throw new Error('no chat with an open window')
  return chats.value.chats[0].id
}

describe('sendMedia in web mode', () => {
  it('sends uploaded bytes', async () => {
    const chatId = await openChatId()
    const sent = await call('sendMedia', { chatId, media: { name: 'chart.png', bytesBase64: PNG.toString('base64') } })
    expect(sent).toMatchObject({ ok: true, value: { chatId, attachments: [{ type: 'image' }] } })
  })

  it('refuses a path outright, with the same answer whatever is at that path, and reads nothing', async () => {
    const chatId = await openChatId()
    const photo = join(dir, 'photo.png')
    writeFileSync(photo, PNG)
    const answers = []
    for (const media of [{ path: photo }, { path: join(dir, 'missing.png') }, { path: dir }, { path: '/etc/passwd' }]) {
      answers.push(await call('sendMedia', { chatId, media }))
    }
    expect(answers[0]).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
    expect(answers.slice(1)).toEqual(answers.slice(0, -1))
    expect(JSON.stringify(answers)).not.toContain(dir)
    // Nor a path slipped in beside valid bytes.
    const beside = await call('sendMedia', { chatId, media: { name: 'x.png', bytesBase64: PNG.toString('base64'), path: photo } })
    expect(beside).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
    expect(inbox.cache.outbox.list()).toEqual([])
  })
})
