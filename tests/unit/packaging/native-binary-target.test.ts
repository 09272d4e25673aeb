// Reads real compiled addons: better-sqlite3 ships prebuilds for every OS and CPU, keytar is built here.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { binaryTarget, mismatchedAddons } from '../../../scripts/packaging/native-binary-target.ts'

const modules = join(import.meta.dirname, '../../../node_modules')
const prebuild = (name: string) => join(modules, 'better-sqlite3/prebuilds', `${name}.node`)
const header = (file: string) => readFileSync(file).subarray(0, 4096)

describe('binaryTarget', () => {
  it.each([
    ['linux-x64', { platform: 'linux', arch: 'x64' }],
    ['linux-arm64', { platform: 'linux', arch: 'arm64' }],
    ['linuxmusl-x64', { platform: 'linux', arch: 'x64' }],
    ['darwin-x64', { platform: 'darwin', arch: 'x64' }],
    ['darwin-arm64', { platform: 'darwin', arch: 'arm64' }],
    ['win32-x64', { platform: 'win32', arch: 'x64' }],
    ['win32-arm64', { platform: 'win32', arch: 'arm64' }]
  ])('reads better-sqlite3 prebuilds/%s.node', (name, target) => {
    expect(binaryTarget(header(prebuild(name)))).toEqual(target)
  })

  it('reads the keytar addon compiled on this machine', () => {
    expect(binaryTarget(header(join(modules, 'keytar/build/Release/keytar.node')))).toEqual({ platform: process.platform, arch: process.arch })
  })

  it('recognises a universal macOS binary and rejects non-binaries', () => {
    expect(binaryTarget(Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]))).toEqual({ platform: 'darwin', arch: 'universal' })
    expect(binaryTarget(Buffer.from('module.exports = 1\n'))).toBeNull()
  })
})

describe('mismatchedAddons', () => {
  let dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
    dirs = []
  })

  function unpacked(files: Record<string, string | Buffer>): string {
    const dir = mkdtempSync(join(tmpdir(), 'dmdesk-addons-'))
    dirs.push(dir)
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true })
      if (typeof source === 'string') copyFileSync(source, join(dir, path))
      else writeFileSync(join(dir, path), source)
    }
    return dir
  }

  it('accepts addons built for the target', () => {
    expect(mismatchedAddons(unpacked({ 'a/linux-x64.node': prebuild('linux-x64') }), 'linux', 'x64')).toEqual([])
    expect(mismatchedAddons(unpacked({ 'a/darwin-arm64.node': prebuild('darwin-arm64') }), 'mas', 'arm64')).toEqual([])
  })

  it('names each addon built for another OS, CPU, or not a library at all', () => {
    const root = unpacked({
      'keytar/keytar.node': prebuild('win32-x64'),
      'sqlite/linux-arm64.node': prebuild('linux-arm64'),
      'broken/fake.node': Buffer.from('not a library')
    })
    expect(mismatchedAddons(root, 'linux', 'x64').sort()).toEqual([
      'broken/fake.node is not a native library',
      'keytar/keytar.node is built for win32, not linux',
      'sqlite/linux-arm64.node is built for arm64, not x64'
    ])
  })

  it('accepts any macOS addon for a universal build', () => {
    expect(mismatchedAddons(unpacked({ 'x.node': prebuild('darwin-x64') }), 'darwin', 'universal')).toEqual([])
  })
})
