// The degraded smee.io mode, against the relay's own smee-compatible stream on loopback: events are only
// hints, everything stored comes from the REST API, a reconcile runs on a short timer, and the creator is
// warned about what the URL exposes.
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_SMEE_RECONCILE_MS, SMEE_PRIVACY_WARNING, SmeeTunnel, hintFrom } from '../../../electron/inbox/tunnel/smee.ts'
import type { TunnelStatus } from '../../../shared/inbox-api.ts'
import { envelope, tunnelWorld, until, type TunnelWorld } from './tunnel-world.ts'

let world: TunnelWorld | undefined
let smee: SmeeTunnel | undefined
afterEach(async () => {
  await smee?.stop()
  await world?.close()
  smee = undefined
  world = undefined
})

type HintRecord = { kind: string; outcome: string; id?: string }

async function smeeWorld(reconcileIntervalMs = 3_600_000) {
  world = await tunnelWorld({ relay: { smeeStream: true } })
  const record = world.pairing.current()!
  const token = (await world.secrets.get(`relay-device-token:${record.deviceId}`))!
  const reconciles: string[] = []
  const hints: HintRecord[] = []
  const statuses: TunnelStatus[] = []
  smee = new SmeeTunnel({
    url: `${world.relayUrl}/smee/${token}`,
    store: world.store,
    client: world.client,
    reconcile: async () => {},
    reconcileIntervalMs,
    delay: { minMs: 20, maxMs: 200 },
    watchdogMs: 5000
  })
  smee.on('reconcile', (run) => reconciles.push(run.reason))
  smee.on('status', (status) => statuses.push(status))
  smee.on('hint', ({ hint, outcome }) =>
    hints.push({ kind: hint.kind, outcome, id: hint.kind === 'message' ? hint.messageId : hint.kind === 'chat' ? hint.chatId : undefined })
  )
  smee.start()
  const tunnel = smee
  await until(tunnel, ['status'], () => tunnel.status.state === 'connected', 10_000, 'the smee stream to open')
  return { world, smee: tunnel, reconciles, hints, statuses }
}

describe('smee.io degraded mode', () => {
  it('re-fetches every hinted message over REST before storing it', async () => {
    const { world, smee, hints } = await smeeWorld()
    const { sim, store } = world
    const message = sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_smee', participant_username: 'smee.user', body: 'via smee' })
    await until(smee, ['hint'], () => hints.length >= 1, 10_000, 'the hint')
    expect(hints).toEqual([{ kind: 'message', outcome: 'stored', id: message.id }])
    expect(store.messages.getMessage(message.id)!.message).toMatchObject({ body: 'via smee', direction: 'inbound' })
    expect(store.chats.getChat(message.chat_id)!.chat.participant_username).toBe('smee.user')

    sim.clock.advance(1000)
    sim.control.userReaction(sim.account, message.id, 'react')
    sim.control.referral(sim.account, sim.profileId, { participant_external_id: 'igsid_smee', ref: 'smee-ref' })
    await until(smee, ['hint'], () => hints.length >= 3, 10_000, 'two more hints')
    expect(store.messages.getMessage(message.id)!.message.reactions).toMatchObject([{ reaction: 'love' }])
    expect(store.chats.getChat(message.chat_id)!.chat.metadata?.referral).toMatchObject({ ref: 'smee-ref' })
  })

  it('never stores what a forged hint says: unknown ids fail, known ids are stored as the API has them', async () => {
    const { world, smee, hints, reconciles } = await smeeWorld()
    const { sim, store } = world
    const real = sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_forge', body: 'the real text' })
    await until(smee, ['hint'], () => hints.length >= 1, 10_000, 'the real hint')

    // No signature, a made-up body: smee cannot tell, so neither can we — only the REST API is believed.
    const forgedText = JSON.stringify(envelope('message.edited', { message: { ...real, body: 'FORGED TEXT', external_edited_at: new Date().toISOString() } }))
    await world.postToIngest(forgedText, { 'x-postproxy-event': 'message.edited' })
    const forgedUnknown = JSON.stringify(envelope('message.received', { message: { ...real, id: 'msg_does_not_exist', body: 'FORGED NEW' } }))
    await world.postToIngest(forgedUnknown, { 'x-postproxy-event': 'message.received' })
    await until(smee, ['hint'], () => hints.length >= 3, 10_000, 'the forged hints')

    expect(hints.slice(1)).toEqual([
      { kind: 'message', outcome: 'stored', id: real.id },
      { kind: 'message', outcome: 'failed', id: 'msg_does_not_exist' }
    ])
    expect(store.messages.getMessage(real.id)!.message.body).toBe('the real text')
    expect(store.messages.getMessage('msg_does_not_exist')).toBeNull()
    await until(smee, ['reconcile'], () => reconciles.includes('hint failed'), 5000, 'a reconcile after the failed hint')
  })

  it('reconciles on a short timer and warns about privacy', async () => {
    expect(DEFAULT_SMEE_RECONCILE_MS).toBeGreaterThanOrEqual(2 * 60_000)
    expect(DEFAULT_SMEE_RECONCILE_MS).toBeLessThanOrEqual(5 * 60_000)
    const { smee, reconciles } = await smeeWorld(150)
    expect(smee.privacyWarning).toBe(SMEE_PRIVACY_WARNING)
    expect(SMEE_PRIVACY_WARNING).toMatch(/Anyone who knows this smee\.io address can read your direct messages/)
    await until(smee, ['reconcile'], () => reconciles.filter((r) => r === 'periodic').length >= 2, 5000, 'two periodic reconciles')
    expect(reconciles[0]).toBe('start')
  })

  it('reads hints only from the event type and an id', () => {
    const body = envelope('message.received', { message: { id: 'msg_1', body: 'x' } })
    expect(hintFrom(JSON.stringify({ 'x-postproxy-event': 'message.received', body, query: {}, timestamp: 1 }))).toEqual({
      kind: 'message',
      eventType: 'message.received',
      messageId: 'msg_1'
    })
    // smee-client re-serialises; a string body is parsed the same way.
    expect(hintFrom(JSON.stringify({ body: JSON.stringify(body) }))).toMatchObject({ kind: 'message', messageId: 'msg_1' })
    expect(hintFrom(JSON.stringify({ body: envelope('post.published', { id: 'p' }) }))).toMatchObject({ kind: 'none' })
    expect(hintFrom(JSON.stringify({ body: envelope('message.received', { message: { id: '../../api/profiles' } }) }))).toMatchObject({ kind: 'none' })
    expect(hintFrom('not json')).toMatchObject({ kind: 'none' })
    expect(hintFrom(JSON.stringify({ body: envelope('referral.received', { chat: { id: 'chat_9' } }) }))).toEqual({ kind: 'chat', eventType: 'referral.received', chatId: 'chat_9' })
  })
})
