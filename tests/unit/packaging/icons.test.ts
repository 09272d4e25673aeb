// The committed icons in resources/ are what the generator draws (run `npm run icons` after changing the
// artwork), every platform gets the sizes it needs, and the containers are well formed.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderIcon, type IconLayout } from '../../../scripts/packaging/icon-artwork.ts'
import { ICNS_PNG_TYPES } from '../../../scripts/packaging/icon-containers.ts'
import { LINUX_ICON_SIZES, WINDOWS_ICON_SIZES } from '../../../scripts/packaging/generate-icons.ts'
import { decodePng, encodePng, type RgbaImage } from '../../../scripts/packaging/png-codec.ts'

const resources = join(import.meta.dirname, '../../../resources')
const read = (path: string) => readFileSync(join(resources, path))

function expectDrawnBy(image: RgbaImage, size: number, layout: IconLayout): void {
  expect([image.width, image.height]).toEqual([size, size])
  const expected = renderIcon(size, layout).pixels
  // Compare as a whole but report briefly: the count of differing bytes, which must be none.
  let differing = 0
  for (let i = 0; i < expected.length; i++) if (image.pixels[i] !== expected[i]) differing++
  expect(differing, `${layout} ${size}px differs from the generator`).toBe(0)
}

function pixel(image: RgbaImage, x: number, y: number): [number, number, number, number] {
  const i = (y * image.width + x) * 4
  return [image.pixels[i], image.pixels[i + 1], image.pixels[i + 2], image.pixels[i + 3]]
}

function icnsElements(file: Buffer): Array<{ type: string; data: Buffer }> {
  expect(file.toString('latin1', 0, 4)).toBe('icns')
  expect(file.readUInt32BE(4)).toBe(file.length)
  const elements: Array<{ type: string; data: Buffer }> = []
  for (let offset = 8; offset < file.length; ) {
    const length = file.readUInt32BE(offset + 4)
    elements.push({ type: file.toString('latin1', offset, offset + 4), data: file.subarray(offset + 8, offset + length) })
    offset += length
  }
  return elements
}

function icoEntries(file: Buffer): Array<{ size: number; data: Buffer }> {
  expect([file.readUInt16LE(0), file.readUInt16LE(2)]).toEqual([0, 1])
  return Array.from({ length: file.readUInt16LE(4) }, (_, i) => {
    const at = 6 + 16 * i
    expect([file.readUInt16LE(at + 4), file.readUInt16LE(at + 6)]).toEqual([1, 32])
    return { size: file[at] || 256, data: file.subarray(file.readUInt32LE(at + 12), file.readUInt32LE(at + 12) + file.readUInt32LE(at + 8)) }
  })
}

/** A 32-bit ICO bitmap entry back to top-down RGBA. */
function decodeDib(data: Buffer): RgbaImage {
  const width = data.readInt32LE(4)
  const height = data.readInt32LE(8) / 2
  expect([data.readUInt32LE(0), data.readUInt16LE(14)]).toEqual([40, 32])
  const pixels = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = 40 + ((height - 1 - y) * width + x) * 4
      const to = (y * width + x) * 4
      pixels.set([data[from + 2], data[from + 1], data[from], data[from + 3]], to)
    }
  }
  return { width, height, pixels }
}

describe('committed icons match the generator', () => {
  it.each(LINUX_ICON_SIZES.map((size) => [size]))('Linux set %ipx', (size) => {
    expectDrawnBy(decodePng(read(`icons/${size}x${size}.png`)), size, 'full')
  })

  it('icon.png is the 1024px master', () => {
    expectDrawnBy(decodePng(read('icon.png')), 1024, 'full')
  })

  it('icon.icns holds every macOS size, drawn on Apple’s icon grid', () => {
    const elements = icnsElements(read('icon.icns'))
    expect(elements.map((e) => e.type)).toEqual(ICNS_PNG_TYPES.map((t) => t.type))
    for (const [i, element] of elements.entries()) expectDrawnBy(decodePng(element.data), ICNS_PNG_TYPES[i].pixels, 'macos')
  })

  it('icon.ico holds 16..256px, bitmaps below 256 and PNG at 256 (what Windows and NSIS read)', () => {
    const entries = icoEntries(read('icon.ico'))
    expect(entries.map((e) => e.size)).toEqual([...WINDOWS_ICON_SIZES])
    for (const entry of entries) {
      const isPng = entry.data.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))
      expect(isPng, `${entry.size}px entry format`).toBe(entry.size === 256)
      expectDrawnBy(isPng ? decodePng(entry.data) : decodeDib(entry.data), entry.size, 'full')
    }
  })
})

describe('the artwork', () => {
  it('is a rounded square: transparent corners, opaque edges and centre', () => {
    const icon = renderIcon(256, 'full')
    expect(pixel(icon, 0, 0)[3]).toBe(0)
    expect(pixel(icon, 255, 255)[3]).toBe(0)
    expect(pixel(icon, 128, 10)[3]).toBe(255)
    expect(pixel(icon, 10, 128)[3]).toBe(255)
  })

  it('shows a white chat bubble holding a pink heart on indigo', () => {
    const icon = renderIcon(1024, 'full')
    const [r, g, b] = pixel(icon, 512, 60) // background above the bubble
    expect(b).toBeGreaterThan(200)
    expect(r).toBeLessThan(120)
    expect(pixel(icon, 300, 400)).toEqual([255, 255, 255, 255]) // bubble, left of the heart
    expect(pixel(icon, 512, 470)).toEqual([215, 38, 94, 255]) // heart, the renderer's --love colour
    expect(pixel(icon, 290, 740)).toEqual([255, 255, 255, 255]) // the bubble's tail, bottom left
    expect(pixel(icon, 270, 750)[2]).toBeGreaterThan(150) // and background just beside its tip
  })

  it('stays legible at 16px: bubble and heart still distinct from the background', () => {
    const icon = renderIcon(16, 'full')
    const heart = pixel(icon, 8, 7)
    expect(heart[0]).toBeGreaterThan(heart[2] + 60) // red dominates: the heart
    const bubble = pixel(icon, 5, 6)
    expect(Math.min(bubble[0], bubble[1], bubble[2])).toBeGreaterThan(200) // near white
  })

  it('leaves the macOS grid margin for the system', () => {
    const icon = renderIcon(1024, 'macos')
    expect(pixel(icon, 512, 40)[3]).toBe(0)
    expect(pixel(icon, 40, 512)[3]).toBe(0)
    expect(pixel(icon, 512, 120)[3]).toBe(255)
  })
})

describe('png codec', () => {
  it('round-trips an image with every filter in play', () => {
    const image = renderIcon(48, 'macos')
    expect(decodePng(encodePng(image))).toEqual(image)
  })

  it('rejects a corrupted file', () => {
    const png = encodePng(renderIcon(16, 'full'))
    png[40] ^= 0xff
    expect(() => decodePng(png)).toThrow(/bad CRC/)
  })
})
