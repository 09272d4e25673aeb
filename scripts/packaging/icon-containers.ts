// The multi-size icon files Windows (.ico) and macOS (.icns) expect, written directly: electron-builder 26
// converts a PNG into these only with a toolset it downloads from GitHub, which these machines cannot reach,
// and shipping ready-made files makes the release build independent of that download.
import { encodePng, type RgbaImage } from './png-codec.ts'

// Windows reads PNG-compressed entries only at 256 px reliably (older shells and NSIS want DIBs below that).
const ICO_PNG_MIN_SIZE = 256

function dibEntry(image: RgbaImage): Buffer {
  const { width, height, pixels } = image
  const header = Buffer.alloc(40)
  header.writeUInt32LE(40, 0) // BITMAPINFOHEADER size
  header.writeInt32LE(width, 4)
  header.writeInt32LE(height * 2, 8) // XOR bitmap + AND mask, as ICO requires
  header.writeUInt16LE(1, 12) // planes
  header.writeUInt16LE(32, 14) // bits per pixel (BGRA)
  const xor = Buffer.alloc(width * height * 4)
  const maskStride = Math.ceil(width / 32) * 4
  const and = Buffer.alloc(maskStride * height) // all zero: the alpha channel decides transparency
  for (let y = 0; y < height; y++) {
    const targetRow = height - 1 - y // DIBs are stored bottom-up
    for (let x = 0; x < width; x++) {
      const from = (y * width + x) * 4
      const to = (targetRow * width + x) * 4
      xor[to] = pixels[from + 2]
      xor[to + 1] = pixels[from + 1]
      xor[to + 2] = pixels[from]
      xor[to + 3] = pixels[from + 3]
    }
  }
  return Buffer.concat([header, xor, and])
}

/** A Windows .ico holding every given size (BMP entries below 256 px, PNG at 256 px). */
export function encodeIco(images: RgbaImage[]): Buffer {
  const entries = images.map((image) => (image.width >= ICO_PNG_MIN_SIZE ? encodePng(image) : dibEntry(image)))
  const directory = Buffer.alloc(6 + 16 * images.length)
  directory.writeUInt16LE(0, 0)
  directory.writeUInt16LE(1, 2) // type: icon
  directory.writeUInt16LE(images.length, 4)
  let offset = directory.length
  images.forEach((image, i) => {
    const at = 6 + 16 * i
    if (image.width > 256 || image.width !== image.height) throw new Error('ICO entries must be square and at most 256 px')
    directory[at] = image.width === 256 ? 0 : image.width // 0 means 256
    directory[at + 1] = image.height === 256 ? 0 : image.height
    directory.writeUInt16LE(1, at + 4) // colour planes
    directory.writeUInt16LE(32, at + 6) // bits per pixel
    directory.writeUInt32LE(entries[i].length, at + 8)
    directory.writeUInt32LE(offset, at + 12)
    offset += entries[i].length
  })
  return Buffer.concat([directory, ...entries])
}

/** The ICNS element types that hold PNG data, by the pixel size of their image. */
export const ICNS_PNG_TYPES: ReadonlyArray<{ type: string; pixels: number }> = [
  { type: 'icp4', pixels: 16 },
  { type: 'icp5', pixels: 32 },
  { type: 'icp6', pixels: 64 },
  { type: 'ic07', pixels: 128 },
  { type: 'ic08', pixels: 256 },
  { type: 'ic09', pixels: 512 },
  { type: 'ic10', pixels: 1024 }, // 512 pt @2x
  { type: 'ic11', pixels: 32 }, // 16 pt @2x
  { type: 'ic12', pixels: 64 }, // 32 pt @2x
  { type: 'ic13', pixels: 256 }, // 128 pt @2x
  { type: 'ic14', pixels: 512 } // 256 pt @2x
]

/** A macOS .icns with a PNG element for every type in ICNS_PNG_TYPES; `imageAt(px)` draws each size once. */
export function encodeIcns(imageAt: (pixels: number) => RgbaImage): Buffer {
  const pngBySize = new Map<number, Buffer>()
  const elements = ICNS_PNG_TYPES.map(({ type, pixels }) => {
    let png = pngBySize.get(pixels)
    if (!png) {
      png = encodePng(imageAt(pixels))
      pngBySize.set(pixels, png)
    }
    const header = Buffer.alloc(8)
    header.write(type, 0, 'latin1')
    header.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([header, png])
  })
  const body = Buffer.concat(elements)
  const header = Buffer.alloc(8)
  header.write('icns', 0, 'latin1')
  header.writeUInt32BE(body.length + 8, 4)
  return Buffer.concat([header, body])
}
