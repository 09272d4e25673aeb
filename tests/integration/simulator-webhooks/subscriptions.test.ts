import { afterEach, describe, expect, it } from 'vitest'
import { createHarness, sampleMessage, within, type Harness } from './harness.ts'

let harness: Harness
afterEach(async () => {
  await harness.cleanup()
})

const eventTypes = (requests: { headers: Record<string, unknown> }[]): string[] =>
  requests.map((r) => String(r.headers['x-postproxy-event'])).sort()

describe('who receives an event', () => {
  it('"*" receives every event; a specific subscription only its own', async () => {
    harness = createHarness()
    const everything = await harness.receiver()
    const onlyReceived = await harness.receiver()
    const dispatcher = harness.dispatcher()
    dispatcher.create('acct_a', { url: everything.url, events: ['*'] })
    dispatcher.create('acct_a', { url: onlyReceived.url, events: ['message.received', 'post.published'] })

    dispatcher.emit('acct_a', 'message.received', { message: sampleMessage() })
    dispatcher.emit('acct_a', 'message.read', { message: sampleMessage() })
    dispatcher.emit('acct_a', 'reaction.received', { message: sampleMessage(), action: 'react' })
    await everything.waitForRequests(3)
    await within(dispatcher.idle(), 5000, 'idle')

    expect(eventTypes(everything.requests)).toEqual(['message.read', 'message.received', 'reaction.received'])
    expect(eventTypes(onlyReceived.requests)).toEqual(['message.received'])
  })

  it('a disabled webhook gets nothing until it is enabled again', async () => {
    harness = createHarness()
    const enabled = await harness.receiver()
    const disabled = await harness.receiver()
    const dispatcher = harness.dispatcher()
    dispatcher.create('acct_a', { url: enabled.url, events: ['*'] })
    const off = dispatcher.create('acct_a', { url: disabled.url, events: ['*'], enabled: false })

    dispatcher.emit('acct_a', 'message.received', { message: sampleMessage() })
    await enabled.waitForRequests(1)
    await within(dispatcher.idle(), 5000, 'idle')
    expect(disabled.requests).toHaveLength(0)
    expect(dispatcher.deliveries('acct_a', off.id, 0, 20)!.total).toBe(0)

    expect(dispatcher.update('acct_a', off.id, { enabled: true })!.enabled).toBe(true)
    dispatcher.emit('acct_a', 'message.sent', { message: sampleMessage() })
    await disabled.waitForRequests(1)
    expect(eventTypes(disabled.requests)).toEqual(['message.sent'])
  })

  it('disabling a webhook stops its pending retries', async () => {
    harness = createHarness()
    const dispatcher = harness.dispatcher()
    let hookId = ''
    const receiver = await harness.receiver(() => {
      dispatcher.update('acct_a', hookId, { enabled: false })
      return 500
    })
    hookId = dispatcher.create('acct_a', { url: receiver.url, events: ['*'] }).id

    dispatcher.emit('acct_a', 'message.received', { message: sampleMessage() })
    await receiver.waitForRequests(1)
    await within(dispatcher.idle(), 5000, 'idle')

    expect(receiver.requests).toHaveLength(1)
    expect(dispatcher.deliveries('acct_a', hookId, 0, 20)!.data.map((d) => [d.attempt_number, d.success])).toEqual([[1, false]])
  })

  it('removing a webhook cancels its scheduled retries', async () => {
    harness = createHarness()
    const receiver = await harness.receiver(() => 500)
    const dispatcher = harness.dispatcher({ retryDelayScale: 1 }) // the retry would come a real minute later
    const hook = dispatcher.create('acct_a', { url: receiver.url, events: ['*'] })

    dispatcher.emit('acct_a', 'message.received', { message: sampleMessage() })
    await receiver.waitForRequests(1)
    // Nothing more within a second: the first attempt is done, the retry is scheduled a minute out.
    await within(dispatcher.idle(1000), 5000, 'the first attempt')
    expect(dispatcher.deliveries('acct_a', hook.id, 0, 20)!.total).toBe(1)

    expect(dispatcher.remove('acct_a', hook.id)).toBe(true)
    await within(dispatcher.idle(), 1000, 'idle with no retry left')
  })

  it('keeps accounts apart: events, reads and writes only reach the account\'s own webhooks', async () => {
    harness = createHarness()
    const receiverA = await harness.receiver()
    const receiverB = await harness.receiver()
    const dispatcher = harness.dispatcher()
    const hookA = dispatcher.create('acct_a', { url: receiverA.url, events: ['*'] })
    const hookB = dispatcher.create('acct_b', { url: receiverB.url, events: ['*'] })

    dispatcher.emit('acct_a', 'message.received', { message: sampleMessage() })
    await receiverA.waitForRequests(1)
    await within(dispatcher.idle(), 5000, 'idle')
    expect(receiverB.requests).toHaveLength(0)

    expect(dispatcher.list('acct_b').map((w) => w.id)).toEqual([hookB.id])
    expect(dispatcher.get('acct_b', hookA.id)).toBeNull()
    expect(dispatcher.update('acct_b', hookA.id, { description: 'mine now' })).toBeNull()
    expect(dispatcher.deliveries('acct_b', hookA.id, 0, 20)).toBeNull()
    expect(dispatcher.remove('acct_b', hookA.id)).toBe(false)
    expect(dispatcher.get('acct_a', hookA.id)?.description).toBeNull()
    expect(dispatcher.deliveries('acct_a', hookA.id, 0, 20)!.total).toBe(1)
    expect(dispatcher.list('acct_c')).toEqual([])
  })
})
