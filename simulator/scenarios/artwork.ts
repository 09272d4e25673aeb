// Small generated pictures for the demo: product photos of the studio's ceramics, a customer's broken
// mug, stories, avatars. Flat shapes and glaze colours, so each image is recognisable and distinct
// without shipping binary files.
import type { SimMedia } from '../contracts.ts'
import { encodePng } from './png.ts'
import { mix32 } from './prng.ts'

export const GLAZES = {
  sage: 0x9caf88,
  oatmeal: 0xe3d5bd,
  terracotta: 0xc8643b,
  cobalt: 0x2f4f9e,
  celadon: 0xa7c7b5,
  charcoal: 0x3b3a3c,
  blush: 0xe8b4a8,
  ochre: 0xd39b35,
  cream: 0xf6f1e7,
  walnut: 0x6b4a32,
  sky: 0xbcd6ea,
  plum: 0x6e3b5a
} as const
export type Glaze = keyof typeof GLAZES

export type Scene = 'mug' | 'bowl' | 'vase' | 'plate' | 'swatches' | 'broken-mug' | 'sketch' | 'stripes' | 'checks' | 'rings'

export interface ArtworkSpec {
  scene: Scene
  glaze: Glaze
  backdrop: Glaze
  /** Stories are portrait; photos square. */
  format?: 'square' | 'story'
}

type Rgb = number

function shade(color: Rgb, factor: number): Rgb {
  const channel = (shift: number): number => Math.max(0, Math.min(255, Math.round(((color >> shift) & 0xff) * factor)))
  return (channel(16) << 16) | (channel(8) << 8) | channel(0)
}

function paint(width: number, height: number, pixel: (u: number, v: number, x: number, y: number) => Rgb): Uint8Array {
  const rgb = new Uint8Array(width * height * 3)
  let offset = 0
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const color = pixel(x / width, y / height, x, y)
      rgb[offset++] = (color >> 16) & 0xff
      rgb[offset++] = (color >> 8) & 0xff
      rgb[offset++] = color & 0xff
    }
  }
  return encodePng(width, height, rgb)
}

function inEllipse(u: number, v: number, cu: number, cv: number, ru: number, rv: number): boolean {
  const du = (u - cu) / ru
  const dv = (v - cv) / rv
  return du * du + dv * dv <= 1
}

/** Iron speckles in the clay body, as on a speckled stoneware glaze. */
function speckled(color: Rgb, x: number, y: number): Rgb {
  return (mix32(Math.imul(x, 73856093) ^ Math.imul(y, 19349663)) & 0xff) < 9 ? shade(color, 0.55) : color
}

function backdrop(spec: ArtworkSpec, v: number): Rgb {
  const base = GLAZES[spec.backdrop]
  // A table edge two thirds down, as in a product photo.
  return v > 0.8 ? shade(base, 0.78) : shade(base, 1.05 - v * 0.15)
}

function mugPixel(u: number, v: number, glaze: Rgb): Rgb | null {
  if (u >= 0.3 && u <= 0.64 && v >= 0.36 && v <= 0.8) return u < 0.36 ? shade(glaze, 0.85) : glaze
  if (inEllipse(u, v, 0.47, 0.36, 0.17, 0.04)) return shade(glaze, 0.7)
  const handleOuter = inEllipse(u, v, 0.66, 0.56, 0.1, 0.12)
  const handleInner = inEllipse(u, v, 0.66, 0.56, 0.055, 0.07)
  if (u > 0.64 && handleOuter && !handleInner) return shade(glaze, 0.9)
  return null
}

function scenePixel(spec: ArtworkSpec, u: number, v: number, x: number, y: number): Rgb {
  const glaze = GLAZES[spec.glaze]
  switch (spec.scene) {
    case 'mug': {
      const mug = mugPixel(u, v, glaze)
      return mug === null ? backdrop(spec, v) : speckled(mug, x, y)
    }
    case 'broken-mug': {
      // The mug, split by a jagged crack with the right half slipped down.
      const crack = 0.47 + 0.04 * Math.sin(v * 40)
      const mug = u < crack ? mugPixel(u, v, glaze) : mugPixel(u, v - 0.05, glaze)
      if (mug !== null && Math.abs(u - crack) < 0.008) return shade(glaze, 0.3)
      return mug === null ? backdrop(spec, v) : mug
    }
    case 'bowl': {
      if (inEllipse(u, v, 0.5, 0.52, 0.34, 0.06)) return shade(glaze, 0.75)
      if (v >= 0.52 && inEllipse(u, v, 0.5, 0.52, 0.34, 0.26)) return speckled(v > 0.66 ? shade(glaze, 0.9) : glaze, x, y)
      return backdrop(spec, v)
    }
    case 'vase': {
      if (u >= 0.44 && u <= 0.56 && v >= 0.22 && v <= 0.46) return shade(glaze, 0.92)
      if (inEllipse(u, v, 0.5, 0.22, 0.08, 0.025)) return shade(glaze, 0.7)
      if (inEllipse(u, v, 0.5, 0.62, 0.2, 0.2)) return u < 0.42 ? shade(glaze, 0.85) : glaze
      return backdrop(spec, v)
    }
    case 'plate': {
      if (inEllipse(u, v, 0.5, 0.52, 0.22, 0.22)) return speckled(shade(glaze, 1.08), x, y)
      if (inEllipse(u, v, 0.5, 0.52, 0.38, 0.38)) return glaze
      return backdrop(spec, v)
    }
    case 'swatches': {
      // Test tiles of the studio's glazes on a board.
      const names = Object.keys(GLAZES) as Glaze[]
      const column = Math.floor(u * 4)
      const row = Math.floor(v * 3)
      const inTile = (u * 4) % 1 > 0.1 && (u * 4) % 1 < 0.9 && (v * 3) % 1 > 0.1 && (v * 3) % 1 < 0.9
      return inTile ? speckled(GLAZES[names[(row * 4 + column) % names.length]], x, y) : GLAZES[spec.backdrop]
    }
    case 'sketch': {
      // Pencil lines of a mug's outline on paper.
      const mug = mugPixel(u, v, glaze) !== null
      const edge =
        mug &&
        (mugPixel(u + 0.012, v, glaze) === null ||
          mugPixel(u - 0.012, v, glaze) === null ||
          mugPixel(u, v + 0.012, glaze) === null ||
          mugPixel(u, v - 0.012, glaze) === null)
      return edge ? glaze : GLAZES[spec.backdrop]
    }
    case 'stripes':
      return Math.floor((u + v) * 8) % 2 === 0 ? glaze : GLAZES[spec.backdrop]
    case 'checks':
      return (Math.floor(u * 6) + Math.floor(v * 6)) % 2 === 0 ? glaze : GLAZES[spec.backdrop]
    case 'rings': {
      const distance = Math.hypot(u - 0.5, v - 0.5)
      return Math.floor(distance * 14) % 2 === 0 ? glaze : GLAZES[spec.backdrop]
    }
  }
}

export function paintArtwork(spec: ArtworkSpec, filename: string): SimMedia {
  const [width, height] = spec.format === 'story' ? [180, 320] : [240, 240]
  return { mime: 'image/png', bytes: paint(width, height, (u, v, x, y) => scenePixel(spec, u, v, x, y)), filename }
}

const AVATAR_BACKGROUNDS: readonly Rgb[] = [0xf4c7a1, 0xb8d8d8, 0xd7c4e8, 0xf2e394, 0xc9e4b4, 0xf5b7b1, 0xaed6f1, 0xe5d3b3, 0xfad7a0, 0xd5dbdb]
const AVATAR_SKIN: readonly Rgb[] = [0xf1c27d, 0xe0ac69, 0xc68642, 0x8d5524, 0xffdbac, 0xa1665e]
const AVATAR_SHIRTS: readonly Rgb[] = [0x34495e, 0xc0392b, 0x16a085, 0x8e44ad, 0x2c3e50, 0xd35400, 0x27ae60, 0x7f8c8d, 0x2980b9]

/** A head-and-shoulders silhouette; `variant` picks the colours, so neighbours in a list differ. */
export function paintAvatar(variant: number, filename: string): SimMedia {
  const background = AVATAR_BACKGROUNDS[variant % AVATAR_BACKGROUNDS.length]
  const skin = AVATAR_SKIN[(variant * 7 + 3) % AVATAR_SKIN.length]
  const shirt = AVATAR_SHIRTS[(variant * 5 + 1) % AVATAR_SHIRTS.length]
  const bytes = paint(96, 96, (u, v) => {
    if (inEllipse(u, v, 0.5, 0.4, 0.18, 0.2)) return skin
    if (inEllipse(u, v, 0.5, 1.02, 0.38, 0.36)) return shirt
    return background
  })
  return { mime: 'image/png', bytes, filename }
}
