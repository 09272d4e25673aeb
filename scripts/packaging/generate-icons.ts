// Writes every icon file the installers need into resources/ (electron-builder's buildResources):
//   icons/<n>x<n>.png  the Linux hicolor set (AppImage and deb install each size)
//   icon.png           1024 px master, also usable as a window icon
//   icon.icns          macOS (Apple's icon grid), PNG elements 16..1024
//   icon.ico           Windows, 16..256
// Usage: node scripts/packaging/generate-icons.ts [outputDir]
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { renderIcon, type IconLayout } from './icon-artwork.ts'
import { encodeIcns, encodeIco } from './icon-containers.ts'
import { encodePng, type RgbaImage } from './png-codec.ts'

export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const
export const WINDOWS_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256] as const

export interface IconFile {
  /** Relative to the resources directory. */
  path: string
  bytes: () => Buffer
}

function memoizedRenderer(layout: IconLayout): (size: number) => RgbaImage {
  const drawn = new Map<number, RgbaImage>()
  return (size) => {
    let image = drawn.get(size)
    if (!image) {
      image = renderIcon(size, layout)
      drawn.set(size, image)
    }
    return image
  }
}

export function iconFiles(): IconFile[] {
  const full = memoizedRenderer('full')
  const macos = memoizedRenderer('macos')
  return [
    ...LINUX_ICON_SIZES.map((size) => ({ path: `icons/${size}x${size}.png`, bytes: () => encodePng(full(size)) })),
    { path: 'icon.png', bytes: () => encodePng(full(1024)) },
    { path: 'icon.icns', bytes: () => encodeIcns(macos) },
    { path: 'icon.ico', bytes: () => encodeIco(WINDOWS_ICON_SIZES.map(full)) }
  ]
}

export function writeIcons(outputDir: string): string[] {
  const written: string[] = []
  for (const file of iconFiles()) {
    const target = join(outputDir, file.path)
    mkdirSync(join(target, '..'), { recursive: true })
    writeFileSync(target, file.bytes())
    written.push(target)
  }
  return written
}

if (import.meta.main) {
  const outputDir = resolve(process.argv[2] ?? join(import.meta.dirname, '../../resources'))
  for (const file of writeIcons(outputDir)) console.log(`wrote ${file}`)
}
