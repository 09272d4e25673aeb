// The dmdesk app icon, drawn from signed distance fields at each exact size (no downscaling blur):
// a rounded square in the app's indigo accent holding a white chat bubble with a love-reaction heart.
// Only arithmetic, sqrt, min, max, abs and sign are used (all exactly specified by IEEE 754), so every
// machine draws the same pixels.
import type { RgbaImage } from './png-codec.ts'

/**
 * `macos` follows Apple's icon grid (the shape fills 824 of 1024 px and casts a soft shadow);
 * `full` nearly fills the canvas, as Linux desktops and Windows expect.
 */
export type IconLayout = 'macos' | 'full'

type Rgb = readonly [number, number, number]

const BACKGROUND_TOP: Rgb = [88, 114, 240]
const BACKGROUND_BOTTOM: Rgb = [40, 58, 168]
const BUBBLE: Rgb = [255, 255, 255]
const HEART: Rgb = [215, 38, 94] // the renderer's --love colour
const SHADOW: Rgb = [10, 16, 48]

const clamp01 = (x: number) => (x < 0 ? 0 : x > 1 ? 1 : x)
const smoothstep = (edge0: number, edge1: number, x: number) => {
  const t = clamp01((x - edge0) / (edge1 - edge0))
  return t * t * (3 - 2 * t)
}
const length = (x: number, y: number) => Math.sqrt(x * x + y * y)

function roundedRect(x: number, y: number, centerX: number, centerY: number, halfWidth: number, halfHeight: number, radius: number): number {
  const qx = Math.abs(x - centerX) - halfWidth + radius
  const qy = Math.abs(y - centerY) - halfHeight + radius
  return length(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius
}

// Exact distance to a triangle (Inigo Quilez's formulation).
function triangle(px: number, py: number, ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const e0x = bx - ax, e0y = by - ay, e1x = cx - bx, e1y = cy - by, e2x = ax - cx, e2y = ay - cy
  const v0x = px - ax, v0y = py - ay, v1x = px - bx, v1y = py - by, v2x = px - cx, v2y = py - cy
  const t0 = clamp01((v0x * e0x + v0y * e0y) / (e0x * e0x + e0y * e0y))
  const t1 = clamp01((v1x * e1x + v1y * e1y) / (e1x * e1x + e1y * e1y))
  const t2 = clamp01((v2x * e2x + v2y * e2y) / (e2x * e2x + e2y * e2y))
  const pq0x = v0x - e0x * t0, pq0y = v0y - e0y * t0
  const pq1x = v1x - e1x * t1, pq1y = v1y - e1y * t1
  const pq2x = v2x - e2x * t2, pq2y = v2y - e2y * t2
  const s = Math.sign(e0x * e2y - e0y * e2x)
  const d0 = pq0x * pq0x + pq0y * pq0y, d1 = pq1x * pq1x + pq1y * pq1y, d2 = pq2x * pq2x + pq2y * pq2y
  const c0 = s * (v0x * e0y - v0y * e0x), c1 = s * (v1x * e1y - v1y * e1x), c2 = s * (v2x * e2y - v2y * e2x)
  const distance = Math.sqrt(Math.min(d0, d1, d2))
  return Math.min(c0, c1, c2) > 0 ? -distance : distance
}

// Heart with its tip at the origin and lobes around y = 1 (y up), after Inigo Quilez.
function heart(x: number, y: number): number {
  const px = Math.abs(x)
  if (px + y > 1) return length(px - 0.25, y - 0.75) - Math.SQRT2 / 4
  const toTop = px * px + (y - 1) * (y - 1)
  const onDiagonal = 0.5 * Math.max(px + y, 0)
  const toDiagonal = (px - onDiagonal) * (px - onDiagonal) + (y - onDiagonal) * (y - onDiagonal)
  return Math.sqrt(Math.min(toTop, toDiagonal)) * Math.sign(px - y)
}

// Polynomial smooth minimum: blends the bubble and its tail without a crease.
function smoothUnion(a: number, b: number, k: number): number {
  const h = clamp01(0.5 + (0.5 * (b - a)) / k)
  return b + (a - b) * h - k * h * (1 - h)
}

/** Distances in body units (the rounded square spans 0..1 on both axes, y down). */
function bubbleDistance(u: number, v: number): number {
  const body = roundedRect(u, v, 0.5, 0.45, 0.3, 0.215, 0.15)
  const tail = triangle(u, v, 0.3, 0.58, 0.46, 0.64, 0.25, 0.78)
  return smoothUnion(body, tail, 0.05)
}

const HEART_SCALE = 0.19
const HEART_TIP_V = 0.552

function heartDistance(u: number, v: number): number {
  return heart((u - 0.5) / HEART_SCALE, (HEART_TIP_V - v) / HEART_SCALE) * HEART_SCALE
}

interface Geometry {
  /** Offset and size of the rounded square, in pixels. */
  margin: number
  body: number
  cornerRadius: number
  castsShadow: boolean
}

function geometry(size: number, layout: IconLayout): Geometry {
  if (layout === 'macos') return { margin: (size * 100) / 1024, body: (size * 824) / 1024, cornerRadius: 0.225, castsShadow: true }
  return { margin: size / 32, body: size - size / 16, cornerRadius: 0.22, castsShadow: false }
}

/** Draws the icon at `size` x `size` pixels. */
export function renderIcon(size: number, layout: IconLayout): RgbaImage {
  const { margin, body, cornerRadius, castsShadow } = geometry(size, layout)
  const pixels = new Uint8Array(size * size * 4)
  // Coverage from a signed distance: a pixel-wide ramp across the edge is the anti-aliasing.
  const coverage = (distance: number) => clamp01(0.5 - distance * body)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const u = (px + 0.5 - margin) / body
      const v = (py + 0.5 - margin) / body
      // Premultiplied accumulation, composited back to front.
      let r = 0, g = 0, b = 0, a = 0
      const over = (color: Rgb, alpha: number) => {
        r = color[0] * alpha + r * (1 - alpha)
        g = color[1] * alpha + g * (1 - alpha)
        b = color[2] * alpha + b * (1 - alpha)
        a = alpha + a * (1 - alpha)
      }
      const squareDistance = roundedRect(u, v, 0.5, 0.5, 0.5, 0.5, cornerRadius)
      if (castsShadow) over(SHADOW, 0.32 * (1 - smoothstep(-0.02, 0.045, roundedRect(u, v - 0.018, 0.5, 0.5, 0.5, 0.5, cornerRadius))))
      const inSquare = coverage(squareDistance)
      if (inSquare > 0) {
        const t = clamp01(v)
        const top = BACKGROUND_TOP, bottom = BACKGROUND_BOTTOM
        over([top[0] + (bottom[0] - top[0]) * t, top[1] + (bottom[1] - top[1]) * t, top[2] + (bottom[2] - top[2]) * t], inSquare)
        const bubble = bubbleDistance(u, v)
        over(SHADOW, inSquare * 0.28 * (1 - smoothstep(-0.01, 0.05, bubbleDistance(u, v - 0.022))))
        over(BUBBLE, inSquare * coverage(bubble))
        over(HEART, inSquare * coverage(heartDistance(u, v)))
      }
      const i = (py * size + px) * 4
      if (a > 0) {
        pixels[i] = Math.round(r / a)
        pixels[i + 1] = Math.round(g / a)
        pixels[i + 2] = Math.round(b / a)
        pixels[i + 3] = Math.round(a * 255)
      }
    }
  }
  return { width: size, height: size, pixels }
}
