import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { loadMediaSource } from './renderer-modules.ts'

const { bytesToBase64, uploadedMediaSource } = await loadMediaSource()

const CHUNK = 0x8000

describe('bytesToBase64', () => {
  it('matches standard base64 for every length around its internal chunk size', () => {
    for (const length of [0, 1, 2, 3, 4, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 5]) {
      const bytes = new Uint8Array(randomBytes(length))
      expect(bytesToBase64(bytes), `${length} bytes`).toBe(Buffer.from(bytes).toString('base64'))
    }
  })

  it('encodes every byte value, and a view into a larger buffer only by its own bytes', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(bytesToBase64(all)).toBe(Buffer.from(all).toString('base64'))
    const view = all.subarray(10, 20)
    expect(Buffer.from(bytesToBase64(view), 'base64')).toEqual(Buffer.from(view))
  })

  // Small on purpose: Node's btoa is far slower than a browser's; 512 KB is already 16 chunks.
  it('handles a photo of many chunks without overflowing the call stack', () => {
    const bytes = new Uint8Array(randomBytes(512 * 1024))
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
  })
})

describe('uploadedMediaSource', () => {
  it('sends the bytes and the name of a file, the name cut to 255 characters', async () => {
    const bytes = new Uint8Array(randomBytes(70_000))
    const source = await uploadedMediaSource(new File([bytes], 'holiday.png', { type: 'image/png' }))
    expect(source).toEqual({ name: 'holiday.png', bytesBase64: Buffer.from(bytes).toString('base64') })
    const long = await uploadedMediaSource(new File([bytes.subarray(0, 10)], `${'x'.repeat(300)}.png`))
    expect('name' in long && long.name).toBe('x'.repeat(255))
  })
})
