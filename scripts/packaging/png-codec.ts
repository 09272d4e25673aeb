// A minimal PNG codec for the app icons: 8-bit RGBA, no interlace. Encoding needs only node:zlib, so the
// icons are generated on machines without ImageMagick; decoding lets tests compare committed icons with
// what the generator draws.
import { crc32, deflateSync, inflateSync } from 'node:zlib'

export interface RgbaImage {
  width: number
  height: number
  /** width * height * 4 bytes, rows top to bottom, straight (non-premultiplied) alpha. */
  pixels: Uint8Array
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const COLOR_TYPE_RGBA = 6

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typeAndData))
  return Buffer.concat([length, typeAndData, crc])
}

// Filter each row with whichever of the five PNG filters leaves the smallest sum of absolute values
// (the heuristic libpng uses): flat gradients then compress several times better than unfiltered rows.
function filterRows(image: RgbaImage): Buffer {
  const stride = image.width * 4
  const out = Buffer.alloc((stride + 1) * image.height)
  const candidate = Buffer.alloc(stride)
  const best = Buffer.alloc(stride)
  const zeroRow = new Uint8Array(stride)
  for (let y = 0; y < image.height; y++) {
    const row = image.pixels.subarray(y * stride, (y + 1) * stride)
    const above = y === 0 ? zeroRow : image.pixels.subarray((y - 1) * stride, y * stride)
    let bestFilter = 0
    let bestScore = Infinity
    for (let filter = 0; filter <= 4; filter++) {
      let score = 0
      for (let i = 0; i < stride; i++) {
        const left = i >= 4 ? row[i - 4] : 0
        const up = above[i]
        const upLeft = i >= 4 ? above[i - 4] : 0
        const predicted = filter === 0 ? 0 : filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : paeth(left, up, upLeft)
        const value = (row[i] - predicted) & 0xff
        candidate[i] = value
        score += value < 128 ? value : 256 - value
      }
      if (score < bestScore) {
        bestScore = score
        bestFilter = filter
        candidate.copy(best)
      }
    }
    out[y * (stride + 1)] = bestFilter
    best.copy(out, y * (stride + 1) + 1)
  }
  return out
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft
  const toLeft = Math.abs(estimate - left)
  const toUp = Math.abs(estimate - up)
  const toUpLeft = Math.abs(estimate - upLeft)
  if (toLeft <= toUp && toLeft <= toUpLeft) return left
  return toUp <= toUpLeft ? up : upLeft
}

export function encodePng(image: RgbaImage): Buffer {
  if (image.pixels.length !== image.width * image.height * 4) throw new Error('RGBA buffer size does not match the image size')
  const header = Buffer.alloc(13)
  header.writeUInt32BE(image.width, 0)
  header.writeUInt32BE(image.height, 4)
  header[8] = 8 // bits per channel
  header[9] = COLOR_TYPE_RGBA
  // bytes 10-12: deflate compression, adaptive filtering, no interlace
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(filterRows(image), { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

/** Decodes the PNGs encodePng writes (8-bit RGBA, any filter); checks every chunk's CRC. */
export function decodePng(file: Uint8Array): RgbaImage {
  const buffer = Buffer.from(file.buffer, file.byteOffset, file.byteLength)
  if (!buffer.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file')
  let offset = 8
  let width = 0
  let height = 0
  const idat: Buffer[] = []
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset)
    const type = buffer.toString('latin1', offset + 4, offset + 8)
    const data = buffer.subarray(offset + 8, offset + 8 + length)
    if (crc32(buffer.subarray(offset + 4, offset + 8 + length)) !== buffer.readUInt32BE(offset + 8 + length)) {
      throw new Error(`PNG chunk ${type} has a bad CRC`)
    }
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      if (data[8] !== 8 || data[9] !== COLOR_TYPE_RGBA || data[12] !== 0) throw new Error('only 8-bit RGBA, non-interlaced PNGs are supported')
    } else if (type === 'IDAT') {
      idat.push(data)
    } else if (type === 'IEND') {
      break
    }
    offset += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * 4
  if (raw.length !== (stride + 1) * height) throw new Error('PNG image data has the wrong length')
  const pixels = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    for (let i = 0; i < stride; i++) {
      const value = raw[y * (stride + 1) + 1 + i]
      const left = i >= 4 ? pixels[y * stride + i - 4] : 0
      const up = y > 0 ? pixels[(y - 1) * stride + i] : 0
      const upLeft = i >= 4 && y > 0 ? pixels[(y - 1) * stride + i - 4] : 0
      const predicted = filter === 0 ? 0 : filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : filter === 4 ? paeth(left, up, upLeft) : NaN
      if (Number.isNaN(predicted)) throw new Error(`unknown PNG filter ${filter}`)
      pixels[y * stride + i] = (value + predicted) & 0xff
    }
  }
  return { width, height, pixels }
}
