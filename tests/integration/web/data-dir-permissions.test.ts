// The data directory (Electron's userData, web mode's --data-dir) holds cached DMs, downloaded media and
// staged sends: other local users must read none of it. A real core, signed in against the simulator.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Inbox } from '../../../electron/inbox/inbox.ts'
import { MemorySecretStore } from '../../../electron/inbox/secrets/index.ts'
import { startSimulator, type RunningSimulator } from '../../../simulator/index.ts'
import { nextFinishedSync } from '../../support/signed-in-inbox.ts'

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 1)])

let parent: string
let dataDir: string
let sim: RunningSimulator
let inbox: Inbox | undefined

beforeEach(async () => {
  parent = mkdtempSync(join(tmpdir(), 'dmdesk-perms-'))
  dataDir = join(parent, 'dmdesk')
  sim = await startSimulator({ scenario: 'demo', seed: 7 })
})

afterEach(async () => {
  await inbox?.close()
  inbox = undefined
  await sim.close()
  rmSync(parent, { recursive: true, force: true })
})

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8)

async function open(): Promise<Inbox> {
  inbox = await Inbox.open({ dataDir, secrets: new MemorySecretStore(), postproxyBaseUrl: sim.url, clientOptions: { backoff: { baseMs: 5, maxMs: 20 }, maxRetries: 1 } })
  return inbox
}

/** Every file and folder below `dir` with its mode, as `relative path: mode`. */
function modesBelow(dir: string, prefix = ''): Record<string, string> {
  const modes: Record<string, string> = {}
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    modes[`${prefix}${entry.name}`] = modeOf(path)
    if (entry.isDirectory()) Object.assign(modes, modesBelow(path, `${prefix}${entry.name}/`))
  }
  return modes
}

describe('the data directory', () => {
  it('is created for this user only, with the database, its journal, downloaded media and staged sends', async () => {
    const app = await open()
    const signedIn = nextFinishedSync(app)
    expect((await app.api.signIn({ apiKey: sim.apiKey })).ok).toBe(true)
    await signedIn

    // A downloaded attachment, and a staged send.
    const chats = await app.api.listChats({ filter: 'window_open', limit: 50 })
    if (!chats.ok) throw new Error(chats.error.message)
    let attachmentId: string | undefined
    for (const chat of chats.value.chats) {
      const thread = await app.api.getThread({ chatId: chat.id })
      attachmentId = thread.ok ? thread.value.messages.flatMap((m) => m.attachments).find((a) => a.url)?.id : undefined
      if (attachmentId) break
    }
    expect(attachmentId).toBeDefined()
    const media = await app.mediaFile(attachmentId!)
    expect(media).not.toBeNull()
    const sent = await app.api.sendMedia({ chatId: chats.value.chats[0].id, media: { name: 'chart.png', bytesBase64: PNG.toString('base64') } })
    expect(sent.ok).toBe(true)

    expect(modeOf(dataDir)).toBe('700')
    expect(existsSync(join(dataDir, 'inbox.db-wal'))).toBe(true)
    expect(existsSync(join(dataDir, 'inbox.db-shm'))).toBe(true)
    expect(existsSync(join(dataDir, 'outbox-media'))).toBe(true)
    expect(dirname(media!.path)).toBe(join(dataDir, 'media'))
    const modes = modesBelow(dataDir)
    const readableByOthers = Object.entries(modes).filter(([, mode]) => mode !== '600' && mode !== '700')
    expect(readableByOthers).toEqual([])
    expect(modes['inbox.db']).toBe('600')
    expect(modes['media']).toBe('700')
  })

  it('of an earlier install is narrowed to this user when the app starts', async () => {
    await (await open()).close()
    inbox = undefined
    // What earlier versions left behind: everything readable by everyone.
    mkdirSync(join(dataDir, 'media'), { recursive: true })
    mkdirSync(join(dataDir, 'outbox-media'), { recursive: true })
    writeFileSync(join(dataDir, 'media', 'a'.repeat(64)), PNG)
    writeFileSync(join(dataDir, 'outbox-media', 'b'.repeat(64)), PNG)
    writeFileSync(join(dataDir, 'inbox.db-wal'), '')
    for (const [path, mode] of Object.entries(modesBelow(dataDir))) chmodSync(join(dataDir, path), mode.startsWith('7') ? 0o755 : 0o644)
    chmodSync(dataDir, 0o755)
    expect(modeOf(join(dataDir, 'inbox.db'))).toBe('644')

    await open()
    expect(modeOf(dataDir)).toBe('700')
    const modes = modesBelow(dataDir)
    expect(modes).toMatchObject({ 'inbox.db': '600', media: '700', [`media/${'a'.repeat(64)}`]: '600', 'outbox-media': '700', [`outbox-media/${'b'.repeat(64)}`]: '600' })
    expect(Object.values(modes).filter((mode) => mode !== '600' && mode !== '700')).toEqual([])
  })
})
