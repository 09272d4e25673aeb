// Who is listening to which channel. After each commit the hub wakes that channel's open streams (they
// then read the new events from SQLite, the one source of truth, so a wake-up can never duplicate or
// skip one). It also closes a device's streams the moment the device is revoked, and every stream on
// shutdown.

export interface OpenStream {
  channelId: string
  /** The device reading it, or null for a stream not tied to one. */
  deviceId: string | null
  /** New events were committed on the channel. */
  wake(): void
  /** End the stream now (revocation, channel deletion, shutdown). */
  close(): void
}

export class ChannelHub {
  readonly #byChannel = new Map<string, Set<OpenStream>>()

  /** Registers a stream; returns its unregister function. */
  add(stream: OpenStream): () => void {
    let streams = this.#byChannel.get(stream.channelId)
    if (!streams) {
      streams = new Set()
      this.#byChannel.set(stream.channelId, streams)
    }
    streams.add(stream)
    return () => {
      const set = this.#byChannel.get(stream.channelId)
      set?.delete(stream)
      if (set && set.size === 0) this.#byChannel.delete(stream.channelId)
    }
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
    let count = 0
    for (const streams of this.#byChannel.values()) count += streams.size
    return count
  }
}
