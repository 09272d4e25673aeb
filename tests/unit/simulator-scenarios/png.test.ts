import { crc32, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { sniffMediaType } from '../../../shared/media-rules.ts'
import { paintArtwork, paintAvatar } from '../../../simulator/scenarios/artwork.ts'
import { encodePng } from '../../../simulator/scenarios/png.ts'

interface Chunk {
  type: string
  data: Buffer
}

/** Reads the chunks of a PNG file, checking each CRC as a decoder would. */
function readChunks(file: Uint8Array): Chunk[] {
  const bytes = Buffer.from(file)
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const chunks: Chunk[] = []
  let offset = 8
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset)
    const type = bytes.toString('latin1', offset + 4, offset + 8)
    const data = bytes.subarray(offset + 8, offset + 8 + length)
    expect(bytes.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(crc32(bytes.subarray(offset + 4, offset + 8 + length)))
    chunks.push({ type, data })
    offset += 12 + length
  }
  expect(offset).toBe(bytes.length)
  return chunks
}

describe('the PNG encoder', () => {
  it('writes a valid file whose pixels decode back exactly', () => {
    const pixels = Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 40, 50, 60, 70, 80, 90)
    const chunks = readChunks(encodePng(3, 2, pixels))
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND'])
    const header = chunks[0].data
    expect([header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9], header[10], header[11], header[12]]).toEqual([3, 2, 8, 2, 0, 0, 0])
    const raw = inflateSync(chunks[1].data)
    expect([...raw]).toEqual([0, ...pixels.subarray(0, 9), 0, ...pixels.subarray(9)])
  })

  it('refuses sizes that do not match the pixel data', () => {
    expect(() => encodePng(2, 2, new Uint8Array(11))).toThrow(/Expected 12 RGB bytes/)
    expect(() => encodePng(0, 2, new Uint8Array(0))).toThrow(/positive whole width/)
  })
})

describe('generated artwork', () => {
  it('is real PNG images of the documented sizes, different for different subjects', () => {
    const mug = paintArtwork({ scene: 'mug', glaze: 'sage', backdrop: 'cream' }, 'mug.png')
    const bowl = paintArtwork({ scene: 'bowl', glaze: 'sage', backdrop: 'cream' }, 'bowl.png')
    const cobaltMug = paintArtwork({ scene: 'mug', glaze: 'cobalt', backdrop: 'cream' }, 'mug2.png')
    const story = paintArtwork({ scene: 'vase', glaze: 'ochre', backdrop: 'plum', format: 'story' }, 'story.png')
    for (const media of [mug, bowl, cobaltMug, story, paintAvatar(0, 'a.png')]) {
      expect(media.mime).toBe('image/png')
      expect(sniffMediaType(media.bytes)).toBe('image/png')
      readChunks(media.bytes)
    }
    const size = (bytes: Uint8Array) => [Buffer.from(bytes).readUInt32BE(16), Buffer.from(bytes).readUInt32BE(20)]
    expect(size(mug.bytes)).toEqual([240, 240])
    expect(size(story.bytes)).toEqual([180, 320])
    const distinct = new Set([mug, bowl, cobaltMug, story].map((m) => Buffer.from(m.bytes).toString('base64')))
    expect(distinct.size).toBe(4)
    expect(Buffer.from(paintAvatar(1, 'a').bytes).equals(Buffer.from(paintAvatar(2, 'a').bytes))).toBe(false)
    expect(mug.filename).toBe('mug.png')
  })
})
