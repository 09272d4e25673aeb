// The release fuse configuration and the afterPack hook's decisions. No Electron binary can be fetched
// here, so flipping itself is not exercised; what is tested is what the hook asks for and when it refuses.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FuseState, FuseV1Options, FuseVersion } from '@electron/fuses'
import { Arch, type AfterPackContext } from 'electron-builder'
import { afterEach, describe, expect, it } from 'vitest'
import { afterPack, archName, electronBinaryPath } from '../../../scripts/packaging/after-pack.ts'
import { buildFlavorFromEnvironment, decideFuses, fuseSettings, fusesNotApplied } from '../../../scripts/packaging/release-fuses.ts'

const repoRoot = join(import.meta.dirname, '../../..')
const ALL_FUSES = Object.keys(fuseSettings('release')).length

describe('fuse settings', () => {
  it('hardens a release build', () => {
    const release = fuseSettings('release')
    expect(release[FuseV1Options.RunAsNode]).toBe(false)
    expect(release[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false)
    expect(release[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false)
    expect(release[FuseV1Options.EnableCookieEncryption]).toBe(true)
    expect(release[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true)
    expect(release[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true)
    // The renderer is served from app://, so file:// pages need no extra powers.
    expect(release[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false)
  })

  it('differs in a test build only by keeping --inspect, which Playwright needs to drive the app', () => {
    const release = fuseSettings('release')
    const test = fuseSettings('test')
    const differences = Object.keys(release).filter((key) => release[Number(key) as FuseV1Options] !== test[Number(key) as FuseV1Options])
    expect(differences.map((key) => FuseV1Options[Number(key)])).toEqual(['EnableNodeCliInspectArguments'])
    expect(test[FuseV1Options.EnableNodeCliInspectArguments]).toBe(true)
  })

  it('decides every fuse @electron/fuses knows', () => {
    const known = Object.values(FuseV1Options).filter((value) => typeof value === 'number')
    expect(Object.keys(fuseSettings('release')).map(Number).sort()).toEqual([...known].sort())
  })

  it('reads the flavor from DMDESK_BUILD_FLAVOR, release by default, and refuses anything else', () => {
    expect(buildFlavorFromEnvironment({})).toBe('release')
    expect(buildFlavorFromEnvironment({ DMDESK_BUILD_FLAVOR: 'test' })).toBe('test')
    expect(() => buildFlavorFromEnvironment({ DMDESK_BUILD_FLAVOR: 'debug' })).toThrow(/must be "release" or "test"/)
  })
})

describe('decideFuses', () => {
  const electron = (fuseWireLength: number | null) => ({ path: '/out/linux-unpacked/dmdesk', fuseWireLength })

  it('flips every fuse of a real Electron, strictly', () => {
    const decision = decideFuses(electron(ALL_FUSES), { flavor: 'release', platform: 'linux', standInDeclared: false })
    expect(decision).toEqual({ action: 'flip', config: { version: FuseVersion.V1, strictlyRequireAllFuses: true, resetAdHocDarwinSignature: false, ...fuseSettings('release') } })
  })

  it('re-signs ad hoc on macOS, where flipping breaks the signature Apple silicon requires', () => {
    const decision = decideFuses(electron(ALL_FUSES), { flavor: 'release', platform: 'darwin', standInDeclared: false })
    expect(decision.action === 'flip' && decision.config.resetAdHocDarwinSignature).toBe(true)
  })

  it('sets only the fuses an older Electron has', () => {
    const decision = decideFuses(electron(8), { flavor: 'release', platform: 'win32', standInDeclared: false })
    expect(decision.action).toBe('flip')
    const config = decision.action === 'flip' ? decision.config : null
    expect(config).not.toHaveProperty(String(FuseV1Options.WasmTrapHandlers))
    expect(config).toHaveProperty(String(FuseV1Options.GrantFileProtocolExtraPrivileges), false)
  })

  it('refuses an Electron with a fuse nobody decided on', () => {
    expect(() => decideFuses(electron(ALL_FUSES + 1), { flavor: 'release', platform: 'linux', standInDeclared: false })).toThrow(/decide the new fuse/)
  })

  it('skips a declared stand-in and refuses an undeclared binary without a fuse wire', () => {
    expect(decideFuses(electron(null), { flavor: 'release', platform: 'linux', standInDeclared: true })).toMatchObject({ action: 'skip' })
    expect(() => decideFuses(electron(null), { flavor: 'release', platform: 'linux', standInDeclared: false })).toThrow(/has no fuse wire/)
  })

  it('fusesNotApplied reads a wire back: differences are named, removed fuses accepted', () => {
    const decision = decideFuses(electron(ALL_FUSES), { flavor: 'release', platform: 'linux', standInDeclared: false })
    if (decision.action !== 'flip') throw new Error('expected a flip')
    const wire: Record<number, number> = {}
    for (const [index, on] of Object.entries(fuseSettings('release'))) wire[Number(index)] = on ? FuseState.ENABLE : FuseState.DISABLE
    expect(fusesNotApplied(decision.config, wire)).toEqual([])
    expect(fusesNotApplied(decision.config, { ...wire, [FuseV1Options.RunAsNode]: FuseState.ENABLE })).toEqual(['RunAsNode'])
    expect(fusesNotApplied(decision.config, { ...wire, [FuseV1Options.RunAsNode]: FuseState.REMOVED })).toEqual([])
  })
})

describe('afterPack hook', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  /** A linux-unpacked layout like electron-builder's, around a stand-in executable. */
  function unpackedLinuxApp(addons: Record<string, string> = {}): AfterPackContext {
    dir = mkdtempSync(join(tmpdir(), 'dmdesk-afterpack-'))
    const appOutDir = join(dir, 'linux-unpacked')
    mkdirSync(join(appOutDir, 'resources', 'app.asar.unpacked'), { recursive: true })
    writeFileSync(join(appOutDir, 'dmdesk'), '#!/bin/sh\nexit 1\n', { mode: 0o755 })
    for (const [target, source] of Object.entries(addons)) {
      mkdirSync(join(appOutDir, 'resources', 'app.asar.unpacked', target, '..'), { recursive: true })
      copyFileSync(source, join(appOutDir, 'resources', 'app.asar.unpacked', target))
    }
    const packager = { executableName: 'dmdesk', appInfo: { productFilename: 'dmdesk' }, getResourcesDir: (out: string) => join(out, 'resources') }
    return { appOutDir, outDir: dir, arch: Arch.x64, electronPlatformName: 'linux', targets: [], packager } as unknown as AfterPackContext
  }

  const prebuild = (name: string) => join(repoRoot, 'node_modules/better-sqlite3/prebuilds', `${name}.node`)

  it('logs a skip for a declared stand-in with addons for its platform', async () => {
    const logs: string[] = []
    const context = unpackedLinuxApp({ 'node_modules/better-sqlite3/prebuilds/linux-x64.node': prebuild('linux-x64') })
    await afterPack(context, { env: { DMDESK_ELECTRON_STAND_IN: '1' }, log: (line) => logs.push(line) })
    expect(logs).toEqual([expect.stringMatching(/^dmdesk fuses: skipped: .*linux-unpacked\/dmdesk is a stand-in for Electron/)])
  })

  it('fails a build whose executable is not Electron when no stand-in was declared', async () => {
    await expect(afterPack(unpackedLinuxApp(), { env: {}, log: () => {} })).rejects.toThrow(/has no fuse wire, so the release fuses cannot be set/)
  })

  it('fails a build that carries a native addon compiled for another system', async () => {
    const context = unpackedLinuxApp({ 'node_modules/keytar/build/Release/keytar.node': prebuild('darwin-arm64') })
    await expect(afterPack(context, { env: { DMDESK_ELECTRON_STAND_IN: '1' }, log: () => {} })).rejects.toThrow(
      /carries native modules for another system:\n {2}node_modules\/keytar\/build\/Release\/keytar.node is built for darwin, not linux/
    )
  })

  it('fails on a misspelled build flavor before touching the binary', async () => {
    await expect(afterPack(unpackedLinuxApp(), { env: { DMDESK_BUILD_FLAVOR: 'relase', DMDESK_ELECTRON_STAND_IN: '1' }, log: () => {} })).rejects.toThrow(/DMDESK_BUILD_FLAVOR/)
  })

  it('names the executable @electron/fuses edits on each platform', () => {
    const packager = { executableName: 'dmdesk', appInfo: { productFilename: 'dmdesk' } } as unknown as AfterPackContext['packager']
    expect(electronBinaryPath({ appOutDir: '/r/linux-unpacked', electronPlatformName: 'linux', packager })).toBe('/r/linux-unpacked/dmdesk')
    expect(electronBinaryPath({ appOutDir: '/r/mac-arm64', electronPlatformName: 'darwin', packager })).toBe('/r/mac-arm64/dmdesk.app')
    expect(electronBinaryPath({ appOutDir: '/r/win-unpacked', electronPlatformName: 'win32', packager })).toBe('/r/win-unpacked/dmdesk.exe')
  })

  it('maps electron-builder arch values by name', () => {
    for (const name of ['ia32', 'x64', 'armv7l', 'arm64', 'universal'] as const) expect(archName(Arch[name])).toBe(name)
  })
})
