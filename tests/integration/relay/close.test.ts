// close() lets requests in progress finish (up to a grace period) but does not wait on connections that
// carry none. Node's fetch opens a spare keep-alive socket to an origin right after a client stops reading an
// event stream there (as the desktop does when it quits): that socket used to hold every close for the
// whole grace period.
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { describe, expect, it } from 'vitest'
import { startHarness } from './helpers/relay-harness.ts'

describe('relay close()', () => {
  it('does not wait out the grace period for a spare connection a client left behind', async () => {
    const harness = await startHarness()
    const { relay } = harness
    const channel = await harness.createChannel()
    const device = await harness.createDevice(channel.channel_id)
    const stream = new AbortController()
    const response = await fetch(`${relay.url}/v1/channels/${channel.channel_id}/events`, {
      headers: { authorization: `Bearer ${device.token}` },
      signal: stream.signal
    })
    const reader = response.body!.getReader()
    await reader.read() // the stream is open
    // Node's fetch reports its connections on this (public) diagnostics channel.
    const port = Number(new URL(relay.url).port)
    const spareConnected = new Promise<void>((resolve) => {
      const onConnected = (message: unknown) => {
        if ((message as { connectParams: { port: string | number } }).connectParams.port.toString() !== port.toString()) return
        unsubscribe('undici:client:connected', onConnected)
        resolve()
      }
      subscribe('undici:client:connected', onConnected)
    })
    stream.abort()
    await reader.read().catch(() => undefined)
    await spareConnected

    const started = performance.now()
    await harness.close()
    // The grace period for requests in progress is 1000 ms.
    expect(performance.now() - started).toBeLessThan(500)
  })
})
