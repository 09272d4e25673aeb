// The electron-builder configuration (scripts/packaging/packaging-config.ts) as electron-builder will see it, plus the
// project files it points at: what each installer is, what ships, and what the environment switches.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MacConfiguration, NsisOptions, WindowsConfiguration, LinuxConfiguration } from 'electron-builder'
import { describe, expect, it } from 'vitest'
import { APP_FILES, appFiles, packagingConfig } from '../../../scripts/packaging/packaging-config.ts'
import { APP_ID, PRODUCT_NAME } from '../../../electron/main/app-identity.ts'
import { afterPack } from '../../../scripts/packaging/after-pack.ts'

const repoRoot = join(import.meta.dirname, '../../..')
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  name: string
  version: string
  productName: string
  desktopName: string
  scripts: Record<string, string>
  dependencies: Record<string, string>
}
const config = packagingConfig({})
const mac = config.mac as MacConfiguration
const win = config.win as WindowsConfiguration
const linux = config.linux as LinuxConfiguration
const targetNames = (targets: unknown) => (targets as Array<string | { target: string }>).map((t) => (typeof t === 'string' ? t : t.target))

describe('installers', () => {
  it('builds AppImage and deb for Linux, dmg (plus the zip macOS updates install from) for macOS, NSIS for Windows', () => {
    expect(targetNames(linux.target)).toEqual(['AppImage', 'deb'])
    expect(targetNames(mac.target)).toEqual(['dmg', 'zip'])
    expect(targetNames(win.target)).toEqual(['nsis'])
  })

  it('identifies the app with the same id the main process gives Windows for notifications', () => {
    expect(config.appId).toBe(APP_ID)
    expect(APP_ID).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/)
    expect(config.productName).toBe(PRODUCT_NAME)
    expect(packageJson.productName).toBe(PRODUCT_NAME)
    // Every AppUserModelId the main process sets, wherever it is spelled, is the installer's appId.
    const mainSources = readdirSync(join(repoRoot, 'electron/main')).filter((f) => f.endsWith('.ts'))
    const literals = mainSources.flatMap((f) => [...readFileSync(join(repoRoot, 'electron/main', f), 'utf8').matchAll(/\bAPP_ID\s*=\s*'([^']+)'/g)].map((m) => m[1]))
    expect(literals.length).toBeGreaterThan(0)
    expect(new Set(literals)).toEqual(new Set([APP_ID]))
  })

  it('takes the version from package.json and registers no file types or URL schemes', () => {
    expect(config.extraMetadata).toBeUndefined()
    expect(config.fileAssociations).toEqual([])
    expect(config.protocols).toEqual([])
  })

  it('signs macOS builds with the hardened runtime and the project entitlements', () => {
    expect(mac.hardenedRuntime).toBe(true)
    expect(mac.notarize).not.toBe(false) // electron-builder notarizes when the APPLE_* credentials are set
    const entitlements = readFileSync(join(repoRoot, mac.entitlements as string), 'utf8')
    expect(mac.entitlementsInherit).toBe(mac.entitlements)
    const keys = [...entitlements.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1])
    expect(keys).toEqual(['com.apple.security.cs.allow-jit'])
  })

  it('installs per user on Windows and keeps the inbox data on uninstall', () => {
    const nsis = config.nsis as NsisOptions
    expect(nsis.perMachine).toBe(false)
    expect(nsis.deleteAppDataOnUninstall).toBe(false)
  })

  it('points every platform at icons that exist in the sizes it needs', () => {
    expect(existsSync(join(repoRoot, mac.icon as string))).toBe(true)
    expect(existsSync(join(repoRoot, win.icon as string))).toBe(true)
    const linuxIcons = readdirSync(join(repoRoot, linux.icon as string)).sort((a, b) => parseInt(a) - parseInt(b))
    expect(linuxIcons).toEqual(['16x16.png', '24x24.png', '32x32.png', '48x48.png', '64x64.png', '128x128.png', '256x256.png', '512x512.png', '1024x1024.png'])
    expect(config.directories?.buildResources).toBe('resources')
  })

  it('names the Linux .desktop file after package.json desktopName, which Electron uses as the window class', () => {
    expect(linux.syncDesktopName).toBe(true)
    expect(packageJson.desktopName).toBe(`${linux.executableName}.desktop`)
  })

  it('names a deb maintainer, overridable from the environment', () => {
    expect(linux.maintainer).toMatch(/^.+ <[^@\s]+@[^>\s]+>$/)
    expect((packagingConfig({ DMDESK_MAINTAINER: 'Ana <ana@example.com>' }).linux as LinuxConfiguration).maintainer).toBe('Ana <ana@example.com>')
  })
})

describe('what ships', () => {
  it('packs only the built app into an asar, native addons unpacked, without rebuilding them for Electron', () => {
    expect(config.asar).toBe(true)
    expect(APP_FILES.filter((pattern) => !pattern.startsWith('!'))).toEqual(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json'])
    expect(APP_FILES).toContain('!**/*.map')
    expect(config.asarUnpack).toEqual(['**/*.node'])
    expect(config.npmRebuild).toBe(false)
  })

  it('can package a build made elsewhere, with the same file rules', () => {
    expect(appFiles(undefined)).toBe(APP_FILES)
    const files = appFiles('/tmp/private-build')
    expect(files[0]).toEqual({ from: '/tmp/private-build', to: 'out', filter: ['main/**', 'preload/**', 'renderer/**', '!**/*.map'] })
    expect(files.slice(1)).toEqual(APP_FILES.filter((pattern) => !pattern.startsWith('out/')))
    expect(() => appFiles('relative/out')).toThrow(/absolute path/)
  })

  it('keeps only the target platform’s better-sqlite3 addon', () => {
    expect(APP_FILES).toContain('!**/node_modules/better-sqlite3/prebuilds/!(${platform}-${arch}).node')
  })
})

describe('release hardening', () => {
  it('applies fuses through the afterPack hook alone (electron-builder’s own fuse step stays off)', async () => {
    expect(config.electronFuses).toBeUndefined()
    expect(typeof config.afterPack).toBe('function')
    // The registered hook is afterPack itself: with a bogus flavor both fail the same way, before any I/O.
    const context = { electronPlatformName: 'linux', arch: 1, appOutDir: '/nonexistent', packager: { getResourcesDir: () => '/nonexistent' } }
    const saved = process.env.DMDESK_BUILD_FLAVOR
    process.env.DMDESK_BUILD_FLAVOR = 'bogus'
    try {
      await expect((config.afterPack as (c: unknown) => Promise<void>)(context)).rejects.toThrow(/DMDESK_BUILD_FLAVOR/)
      await expect(afterPack(context as never)).rejects.toThrow(/DMDESK_BUILD_FLAVOR/)
    } finally {
      if (saved === undefined) delete process.env.DMDESK_BUILD_FLAVOR
      else process.env.DMDESK_BUILD_FLAVOR = saved
    }
  })

  it('makes signing mandatory only when asked to', () => {
    expect(config.forceCodeSigning).toBe(false)
    expect(packagingConfig({ DMDESK_REQUIRE_SIGNING: '1' }).forceCodeSigning).toBe(true)
  })

  it('refuses an unknown build flavor when the configuration loads', () => {
    expect(() => packagingConfig({ DMDESK_BUILD_FLAVOR: 'prod' })).toThrow(/must be "release" or "test"/)
  })
})

describe('update feed', () => {
  it('is absent unless DMDESK_UPDATE_URL is set, so installers ship with updates off', () => {
    expect(config.publish).toBeNull()
  })

  it('becomes a generic provider when DMDESK_UPDATE_URL is set', () => {
    expect(packagingConfig({ DMDESK_UPDATE_URL: 'https://updates.example.com/dmdesk' }).publish).toEqual([
      { provider: 'generic', url: 'https://updates.example.com/dmdesk/', channel: 'latest' }
    ])
  })

  it('refuses an insecure feed at build time', () => {
    expect(() => packagingConfig({ DMDESK_UPDATE_URL: 'http://updates.example.com/' })).toThrow(/must start with https:\/\//)
  })
})

describe('project files', () => {
  it('electron-builder finds the configuration under its own name', () => {
    const entry = readFileSync(join(repoRoot, 'electron-builder.ts'), 'utf8')
    expect(entry).toContain("import { packagingConfig } from './scripts/packaging/packaging-config.ts'")
    expect(entry).toContain('export default packagingConfig(process.env)')
  })

  it('has dist scripts per platform that build first and never publish implicitly', () => {
    expect(packageJson.scripts.dist).toBe('npm run build && electron-builder --publish never')
    for (const [script, flag] of [['dist:linux', '--linux'], ['dist:mac', '--mac'], ['dist:win', '--win']]) {
      expect(packageJson.scripts[script]).toBe(`npm run build && electron-builder ${flag} --publish never`)
    }
  })

  it('lists electron-updater as a production dependency, since the packaged app runs it', () => {
    expect(packageJson.dependencies).toHaveProperty('electron-updater')
  })

  it('has a CHANGELOG whose newest version is the package version', () => {
    const changelog = readFileSync(join(repoRoot, 'CHANGELOG.md'), 'utf8')
    expect(changelog.match(/^## \[(\d+\.\d+\.\d+[^\]]*)\]/m)?.[1]).toBe(packageJson.version)
  })
})
