// State in an SQLite file (`--data`): WAL mode, and everything (key, chats, hosted media, the
// clock, deliveries under way) survives a restart on another port.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MessageSchema } from '../../../shared/postproxy.ts'
import { dataUri, fixtures, parses, startTestSimulator, TEST_PUBLISH_DELAY_MS, type TestSimulator } from './helpers.ts'

let dir: string
const running: TestSimulator[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-sim-'))
})
afterEach(async () => {
  for (const t of running.splice(0)) await t.sim.close()
  rmSync(dir, { recursive: true, force: true })
})

async function start(): Promise<TestSimulator> {
  const t = await startTestSimulator({ dataFile: join(dir, 'sim.db') })
  running.push(t)
  return t
}

describe('--data FILE', () => {
  it('keeps the state across a restart, in WAL mode', async () => {
    const first = await start()
    expect(first.sim.state.db.pragma('journal_mode', { simple: true })).toBe('wal')
    const png = fixtures.png(900)
    const injected = (await first.api.post('/_sim/inbound', { participant_external_id: 'igsid_d', media: { data_uri: dataUri('image/png', png) } })).body
    first.sim.clock.advance(60 * 60 * 1000)
    await first.api.post('/_sim/inbound', { participant_external_id: 'igsid_d', body: 'still here' })
    const pending = (await first.api.post(`/api/chats/${injected.chat.id}/messages`, { body: 'survives restarts' })).body
    const offsetBefore = first.sim.clock.offsetMs
    await first.sim.close()
    running.splice(0)

    const second = await start()
    expect(second.sim.url).not.toBe(first.sim.url)
    expect({ key: second.sim.apiKey, profile: second.sim.profileId, account: second.sim.account }).toEqual({
      key: first.sim.apiKey,
      profile: first.sim.profileId,
      account: first.sim.account
    })
    expect(second.sim.clock.offsetMs).toBe(offsetBefore)

    const chat = (await second.api.get(`/api/chats/${injected.chat.id}`)).body
    expect(chat.participant_external_id).toBe('igsid_d')
    const image = parses(MessageSchema, (await second.api.get(`/api/messages/${injected.message.id}`)).body)
    const url = image.attachments![0].url!
    expect(url.startsWith(`${second.sim.url}/media/`)).toBe(true) // hosted media follows the new port
    expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(png)).toBe(true)

    // The send that was under way is finished after the restart.
    expect((await second.api.get(`/api/messages/${pending.id}`)).body.status).toBe('pending')
    second.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    expect((await second.api.get(`/api/messages/${pending.id}`)).body.status).toBe('published')
  })
})
