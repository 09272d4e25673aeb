// Who is listening to which channel. After each commit the hub wakes that channel's open streams (they
// then read the new events from SQLite, the one source of truth, so a wake-up can never duplicate or
// skip one). It also closes a device's streams the moment the device is revoked, and every stream on
// shutdown.
//
// It also bounds what streams can cost (#12.7: 2,000 idle streams took a relay from 117 MB to 4.6 GB):
// one stream per device — a device that reconnects replaces its old stream, which is closed (the old one
// is usually a half-open connection the desktop already gave up on) — and caps per channel and in total.

export interface OpenStream {
  channelId: string
  /** The device reading it, or null for a stream not tied to one. */
  deviceId: string | null
  /** New events were committed on the channel. */
  wake(): void
  /** End the stream now (replaced, revocation, channel deletion, shutdown). */
  close(): void
}

export interface StreamLimits {
  /** Open streams per channel (each device has at most one). */
  maxStreamsPerChannel: number
  /** Open streams on the whole relay. */
  maxStreams: number
}

export type Admission = { ok: true; unregister: () => void } | { ok: false; full: 'channel' | 'relay' }

export class ChannelHub {
  readonly #byChannel = new Map<string, Set<OpenStream>>()
  readonly #limits: StreamLimits
  #total = 0

  constructor(limits: StreamLimits) {
    this.#limits = limits
  }

  /**
   * Registers a stream, first closing the device's previous stream; refuses it when the channel or the
   * relay is at its cap (the device's own previous stream does not count: it is being replaced).
   */
  add(stream: OpenStream): Admission {
    const streams = this.#byChannel.get(stream.channelId) ?? new Set<OpenStream>()
    const replaced = stream.deviceId === null ? [] : [...streams].filter((open) => open.deviceId === stream.deviceId)
    if (streams.size - replaced.length >= this.#limits.maxStreamsPerChannel) return { ok: false, full: 'channel' }
    if (this.#total - replaced.length >= this.#limits.maxStreams) return { ok: false, full: 'relay' }
    for (const old of replaced) {
      this.#remove(old)
      old.close()
    }
    streams.add(stream)
    this.#byChannel.set(stream.channelId, streams)
    this.#total += 1
    return { ok: true, unregister: () => this.#remove(stream) }
  }

  #remove(stream: OpenStream): void {
    const set = this.#byChannel.get(stream.channelId)
    if (!set?.delete(stream)) return
    this.#total -= 1
    if (set.size === 0) this.#byChannel.delete(stream.channelId)
  }

  notify(channelId: string): void {
    for (const stream of this.#byChannel.get(channelId) ?? []) stream.wake()
  }

  closeDevice(deviceId: string): void {
    for (const streams of this.#byChannel.values()) {
      for (const stream of [...streams]) if (stream.deviceId === deviceId) stream.close()
    }
  }

  closeChannel(channelId: string): void {
    for (const stream of [...(this.#byChannel.get(channelId) ?? [])]) stream.close()
  }

  closeAll(): void {
    for (const streams of [...this.#byChannel.values()]) for (const stream of [...streams]) stream.close()
  }

  get openStreams(): number {
    return this.#total
  }
}
