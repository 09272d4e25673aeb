import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { WebhookDeliverySchema, WebhookSchema, pageSchema } from '../../../shared/postproxy.ts'
import { WebhookInputError, type WebhookInput } from '../../../simulator/contracts.ts'
import { createHarness, sampleMessage, START_ISO, within, type Harness } from './harness.ts'

let harness: Harness | undefined
const tempDirs: string[] = []
afterEach(async () => {
  await harness?.cleanup()
  harness = undefined
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function inputErrors(action: () => unknown): string[] {
  try {
    action()
  } catch (error) {
    if (error instanceof WebhookInputError) return error.errors
    throw error
  }
  throw new Error('expected a WebhookInputError')
}

describe('webhook CRUD', () => {
  it('creates, lists, reads, updates and removes webhooks', () => {
    harness = createHarness()
    const dispatcher = harness.dispatcher()
    const created = dispatcher.create('acct_a', {
      url: 'https://example.com/hooks',
      events: ['message.received', 'message.received', 'reaction.received'],
      description: 'inbox'
    })
    expect(WebhookSchema.parse(created)).toEqual(created)
    expect(created).toEqual({
      id: expect.stringMatching(/^wh_[A-Za-z0-9]+$/),
      url: 'https://example.com/hooks',
      events: ['message.received', 'reaction.received'],
      description: 'inbox',
      enabled: true,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43,}$/),
      created_at: START_ISO,
      updated_at: START_ISO
    })
    const second = dispatcher.create('acct_a', { url: 'http://127.0.0.1:9/x', events: ['*'] })
    expect(second.secret).not.toBe(created.secret)
    expect(second.description).toBeNull()

    expect(dispatcher.list('acct_a').map((w) => w.id)).toEqual([created.id, second.id])
    expect(dispatcher.get('acct_a', created.id)).toEqual(created)
    expect(dispatcher.get('acct_a', 'wh_missing')).toBeNull()

    harness.clock.advance(60_000)
    const updated = dispatcher.update('acct_a', created.id, { events: ['*'], enabled: false })
    // updated_at follows the simulated clock; created_at stays.
    expect(updated).toEqual({ ...created, events: ['*'], enabled: false, updated_at: new Date(Date.parse(START_ISO) + 60_000).toISOString() })
    expect(dispatcher.get('acct_a', created.id)).toEqual(updated)
    expect(dispatcher.update('acct_a', created.id, { description: null })!.description).toBeNull()
    expect(dispatcher.update('acct_a', 'wh_missing', { enabled: true })).toBeNull()

    expect(dispatcher.remove('acct_a', created.id)).toBe(true)
    expect(dispatcher.get('acct_a', created.id)).toBeNull()
    expect(dispatcher.remove('acct_a', created.id)).toBe(false)
    expect(dispatcher.list('acct_a').map((w) => w.id)).toEqual([second.id])
  })

  it('accepts DM events, "*", and the non-DM event families', () => {
    harness = createHarness()
    const dispatcher = harness.dispatcher()
    const events = ['message.edited', 'referral.received', 'post.published', 'platform_post.failed', 'profile.expired', 'comment.created']
    expect(dispatcher.create('acct_a', { url: 'https://example.com', events }).events).toEqual(events)
  })

  it('rejects bad input with sentences that name the field, listing every problem', () => {
    harness = createHarness()
    const dispatcher = harness.dispatcher()
    const create = (input: unknown) => () => dispatcher.create('acct_a', input as WebhookInput)

    expect(inputErrors(create({ events: ['*'] }))).toEqual([expect.stringMatching(/^url can't be blank/)])
    expect(inputErrors(create({ url: '   ', events: ['*'] }))).toEqual([expect.stringMatching(/^url can't be blank/)])
    expect(inputErrors(create({ url: 'ftp://example.com/x', events: ['*'] }))).toEqual([
      'url must start with http:// or https:// (got ftp).'
    ])
    expect(inputErrors(create({ url: 'not a url', events: ['*'] }))[0]).toMatch(/^url "not a url" is not a valid web address/)
    expect(inputErrors(create({ url: 42, events: ['*'] }))[0]).toMatch(/^url must be a web address/)
    expect(inputErrors(create({ url: 'https://example.com' }))[0]).toMatch(/^events can't be empty/)
    expect(inputErrors(create({ url: 'https://example.com', events: [] }))[0]).toMatch(/^events can't be empty/)
    expect(inputErrors(create({ url: 'https://example.com', events: 'message.received' }))[0]).toMatch(/^events can't be empty/)
    expect(inputErrors(create({ url: 'https://example.com', events: [1] }))[0]).toMatch(/^events must be a list of event names/)
    expect(inputErrors(create({ url: 'https://example.com', events: ['message.recieved', 'dm.new'] }))[0]).toMatch(
      /^events contains unknown events "message.recieved", "dm.new"; use message.received, .*"\*" for all events\.$/
    )
    expect(inputErrors(create({ url: 'https://example.com', events: ['*'], enabled: 'yes' }))).toEqual(['enabled must be true or false.'])
    expect(inputErrors(create({ url: 'https://example.com', events: ['*'], description: 7 }))).toEqual(['description must be text.'])
    expect(inputErrors(create({ url: 'https://example.com', events: ['*'], description: 'x'.repeat(501) }))[0]).toMatch(
      /^description can be at most 500 characters/
    )
    const both = inputErrors(create({}))
    expect(both).toHaveLength(2)
    expect(both[0]).toMatch(/^url/)
    expect(both[1]).toMatch(/^events/)
    expect(dispatcher.list('acct_a')).toEqual([])

    const hook = dispatcher.create('acct_a', { url: 'https://example.com', events: ['*'] })
    expect(inputErrors(() => dispatcher.update('acct_a', hook.id, { url: 'mailto:me@example.com' }))[0]).toMatch(/^url must start with/)
    expect(inputErrors(() => dispatcher.update('acct_a', hook.id, { events: [] }))[0]).toMatch(/^events can't be empty/)
    expect(dispatcher.get('acct_a', hook.id)).toEqual(hook)
  })

  it('pages the delivery log newest first with the documented envelope', async () => {
    harness = createHarness()
    const receiver = await harness.receiver()
    const dispatcher = harness.dispatcher()
    const hook = dispatcher.create('acct_a', { url: receiver.url, events: ['message.received'] })
    const eventIds: string[] = []
    for (let i = 0; i < 25; i++) {
      harness.clock.advance(1000)
      dispatcher.emit('acct_a', 'message.received', { message: sampleMessage({ id: `msg_${i}` }) })
      await receiver.waitForRequests(i + 1)
      await within(dispatcher.idle(), 5000, 'idle')
      eventIds.push(JSON.parse(receiver.requests[i].rawBody.toString('utf8')).id)
    }

    const first = pageSchema(WebhookDeliverySchema).parse(dispatcher.deliveries('acct_a', hook.id, 0, 10))
    const second = dispatcher.deliveries('acct_a', hook.id, 1, 10)!
    const third = dispatcher.deliveries('acct_a', hook.id, 2, 10)!
    expect([first.total, first.page, first.per_page, first.data.length]).toEqual([25, 0, 10, 10])
    expect([second.page, second.data.length, third.page, third.data.length]).toEqual([1, 10, 2, 5])
    const all = [...first.data, ...second.data, ...third.data]
    expect(all.map((d) => d.event_id)).toEqual([...eventIds].reverse())
    const times = all.map((d) => Date.parse(d.attempted_at))
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(new Set(all.map((d) => d.id)).size).toBe(25)

    expect(dispatcher.deliveries('acct_a', hook.id, 5, 10)).toEqual({ total: 25, page: 5, per_page: 10, data: [] })
    const clamped = dispatcher.deliveries('acct_a', hook.id, -3, 1000)!
    expect([clamped.page, clamped.per_page, clamped.data.length]).toEqual([0, 100, 25])
    expect(dispatcher.deliveries('acct_a', 'wh_missing', 0, 20)).toBeNull()
  })

  it('keeps webhooks, secrets and the delivery log when the database file is reopened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-webhooks-'))
    tempDirs.push(dir)
    const file = join(dir, 'sim.sqlite')

    harness = createHarness(file)
    const receiver = await harness.receiver()
    const before = harness.dispatcher()
    const hook = before.create('acct_a', { url: receiver.url, events: ['*'], description: 'kept' })
    const other = before.create('acct_b', { url: 'https://example.com/b', events: ['message.read'], enabled: false })
    before.emit('acct_a', 'message.received', { message: sampleMessage() })
    await receiver.waitForRequests(1)
    await within(before.idle(), 5000, 'idle')
    await before.close()
    harness.db.close()

    const reopened = createHarness(file)
    const after = reopened.dispatcher()
    try {
      expect(after.list('acct_a')).toEqual([hook])
      expect(after.list('acct_b')).toEqual([other])
      expect(after.deliveries('acct_a', hook.id, 0, 20)!.total).toBe(1)
      after.emit('acct_a', 'message.sent', { message: sampleMessage() })
      await receiver.waitForRequests(2)
      await within(after.idle(), 5000, 'idle')
      expect(after.deliveries('acct_a', hook.id, 0, 20)!.data.map((d) => d.event_type)).toEqual(['message.sent', 'message.received'])
    } finally {
      await reopened.cleanup()
    }
  })
})
