// Which OS and CPU a compiled Node addon (.node) was built for, read from its file header. keytar is
// compiled on the build machine, so an installer built for another OS would carry an addon that cannot
// load there; the packaging hook refuses such a build instead of shipping an app that fails at start.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs'
import { join, relative } from 'node:path'

export type BinaryPlatform = 'linux' | 'darwin' | 'win32'
export type BinaryArch = 'x64' | 'arm64' | 'ia32' | 'armv7l' | 'universal'

export interface BinaryTarget {
  platform: BinaryPlatform
  arch: BinaryArch | 'unknown'
}

const ELF_MACHINES: Record<number, BinaryArch> = { 0x3e: 'x64', 0xb7: 'arm64', 0x03: 'ia32', 0x28: 'armv7l' }
const MACHO_CPU_TYPES: Record<number, BinaryArch> = { 0x01000007: 'x64', 0x0100000c: 'arm64', 0x07: 'ia32' }
const PE_MACHINES: Record<number, BinaryArch> = { 0x8664: 'x64', 0xaa64: 'arm64', 0x014c: 'ia32' }

/** Reads the target from the first bytes of an ELF, Mach-O (thin or universal) or PE file; null if none of these. */
export function binaryTarget(header: Buffer): BinaryTarget | null {
  if (header.length >= 20 && header.readUInt32BE(0) === 0x7f454c46) {
    // e_machine follows the 16-byte ident and e_type; ident byte 5 says the byte order.
    const machine = header[5] === 2 ? header.readUInt16BE(18) : header.readUInt16LE(18)
    return { platform: 'linux', arch: ELF_MACHINES[machine] ?? 'unknown' }
  }
  if (header.length >= 8) {
    const magic = header.readUInt32BE(0)
    if (magic === 0xcafebabe) return { platform: 'darwin', arch: 'universal' }
    if (magic === 0xcffaedfe || magic === 0xcefaedfe) return { platform: 'darwin', arch: MACHO_CPU_TYPES[header.readUInt32LE(4)] ?? 'unknown' }
    if (magic === 0xfeedfacf || magic === 0xfeedface) return { platform: 'darwin', arch: MACHO_CPU_TYPES[header.readUInt32BE(4)] ?? 'unknown' }
  }
  if (header.length >= 0x40 && header.toString('latin1', 0, 2) === 'MZ') {
    const peOffset = header.readUInt32LE(0x3c)
    if (peOffset + 6 <= header.length && header.toString('latin1', peOffset, peOffset + 4) === 'PE\0\0') {
      return { platform: 'win32', arch: PE_MACHINES[header.readUInt16LE(peOffset + 4)] ?? 'unknown' }
    }
    return { platform: 'win32', arch: 'unknown' }
  }
  return null
}

function readHeader(file: string): Buffer {
  const header = Buffer.alloc(4096)
  const fd = openSync(file, 'r')
  try {
    return header.subarray(0, readSync(fd, header, 0, header.length, 0))
  } finally {
    closeSync(fd)
  }
}

function* nodeAddons(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* nodeAddons(path)
    else if (entry.name.endsWith('.node')) yield path
  }
}

/**
 * Every .node file under `dir` that was not built for `platform`/`arch`, as readable lines. A universal
 * macOS addon fits any macOS arch; `universal` as the wanted arch accepts any macOS addon.
 */
export function mismatchedAddons(dir: string, platform: string, arch: string): string[] {
  const wantedPlatform = platform === 'mas' ? 'darwin' : platform
  const problems: string[] = []
  for (const file of nodeAddons(dir)) {
    const target = binaryTarget(readHeader(file))
    const name = relative(dir, file)
    if (!target) {
      problems.push(`${name} is not a native library`)
    } else if (target.platform !== wantedPlatform) {
      problems.push(`${name} is built for ${target.platform}, not ${wantedPlatform}`)
    } else if (target.arch !== arch && target.arch !== 'universal' && arch !== 'universal') {
      problems.push(`${name} is built for ${target.arch}, not ${arch}`)
    }
  }
  return problems
}
