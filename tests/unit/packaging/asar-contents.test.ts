// The archive rules on file lists; the packaging smoke test (scripts/package-smoke.sh) applies them to a
// real electron-builder output.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { asarProblems, developmentOnlyPackages, manifestProblems, packageOfEntry } from '../../../scripts/packaging/asar-contents.ts'

const repoRoot = join(import.meta.dirname, '../../..')
const lockPackages = (JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> }).packages
const manifests = { dependencies: { 'better-sqlite3': '13.2.0', keytar: '7.9.0', zod: '4.6.7' }, lockPackages }

const GOOD: string[] = [
  '/package.json',
  '/out',
  '/out/main/index.js',
  '/out/preload/index.cjs',
  '/out/renderer/index.html',
  '/out/renderer/assets/index-abc123.js',
  '/out/renderer/assets/index-abc123.css',
  '/node_modules',
  '/node_modules/better-sqlite3/package.json',
  '/node_modules/better-sqlite3/lib/index.js',
  '/node_modules/better-sqlite3/prebuilds/linux-x64.node',
  '/node_modules/keytar/package.json',
  '/node_modules/keytar/build/Release/keytar.node',
  '/node_modules/zod/package.json',
  '/node_modules/zod/index.cjs'
]

describe('asarProblems', () => {
  it('accepts an archive with the built app and production dependencies only', () => {
    expect(asarProblems(GOOD, manifests, 'linux-x64')).toEqual([])
  })

  it('requires the built entry points, the renderer bundle and each production dependency', () => {
    const missing = GOOD.filter((entry) => !['/out/preload/index.cjs', '/out/renderer/assets/index-abc123.js', '/node_modules/zod/package.json'].includes(entry))
    expect(asarProblems(missing, manifests, 'linux-x64')).toEqual([
      'missing /out/preload/index.cjs',
      'missing the renderer bundle /out/renderer/assets/*.js',
      'missing production dependency zod'
    ])
  })

  it.each([
    ['/electron/main/index.ts', 'source or tooling folder shipped: /electron/main/index.ts'],
    ['/renderer/src/App.svelte', 'source or tooling folder shipped: /renderer/src/App.svelte'],
    ['/simulator/server.ts', 'source or tooling folder shipped: /simulator/server.ts'],
    ['/tests/unit/x.test.ts', 'source or tooling folder shipped: /tests/unit/x.test.ts'],
    ['/out/main/index.js.map', 'source map shipped: /out/main/index.js.map'],
    ['/out/main/helper.ts', 'source file shipped: /out/main/helper.ts'],
    ['/out/renderer/tests/fixture.js', 'test file shipped: /out/renderer/tests/fixture.js'],
    ['/node_modules/zod/src/index.ts', 'source file shipped: /node_modules/zod/src/index.ts'],
    ['/README.md', 'unexpected file outside out/ and node_modules/: /README.md'],
    ['/node_modules/vitest/package.json', 'development-only package shipped: vitest'],
    ['/node_modules/electron-builder/out/index.js', 'development-only package shipped: electron-builder'],
    ['/node_modules/svelte/package.json', 'development-only package shipped: svelte'],
    ['/node_modules/@playwright/test/index.js', 'development-only package shipped: @playwright/test'],
    ['/node_modules/better-sqlite3/prebuilds/darwin-arm64.node', 'better-sqlite3 addon for another platform shipped: darwin-arm64.node']
  ])('flags %s', (entry, problem) => {
    expect(asarProblems([...GOOD, entry], manifests, 'linux-x64')).toEqual([problem])
  })

  it('reports each development package once, however many of its files ship', () => {
    const problems = asarProblems([...GOOD, '/node_modules/vite/a.js', '/node_modules/vite/b.js'], manifests, 'linux-x64')
    expect(problems).toEqual(['development-only package shipped: vite'])
  })

  it('keeps type declarations of dependencies out of the source-file rule', () => {
    expect(asarProblems([...GOOD, '/node_modules/zod/index.d.cts'], manifests, 'linux-x64')).toEqual([])
  })

  it('requires the addons for the target platform', () => {
    const withoutAddons = GOOD.filter((entry) => !entry.endsWith('.node'))
    expect(asarProblems(withoutAddons, manifests, 'linux-x64')).toEqual(['missing better-sqlite3 addon for linux-x64', 'missing keytar addon build/Release/keytar.node'])
  })
})

describe('developmentOnlyPackages (from the real package-lock.json)', () => {
  const devOnly = developmentOnlyPackages(lockPackages)

  it('lists the tooling', () => {
    for (const name of ['vitest', 'electron', 'electron-builder', 'electron-vite', 'svelte', 'typescript', 'vite', '@playwright/test', 'playwright-core', '@electron/fuses']) {
      expect(devOnly.has(name), name).toBe(true)
    }
  })

  it('never lists what the app runs', () => {
    for (const name of ['better-sqlite3', 'keytar', 'zod', 'ws', 'electron-updater', 'js-yaml', 'semver']) expect(devOnly.has(name), name).toBe(false)
  })
})

describe('packageOfEntry', () => {
  it('names the innermost package, scoped or not', () => {
    expect(packageOfEntry('/node_modules/a/node_modules/@s/b/index.js')).toBe('@s/b')
    expect(packageOfEntry('/node_modules/ws/lib/x.js')).toBe('ws')
    expect(packageOfEntry('/out/main/index.js')).toBeNull()
  })
})

describe('manifestProblems', () => {
  const repository = { version: '1.2.3', main: 'out/main/index.js' }

  it('accepts the trimmed manifest electron-builder writes', () => {
    expect(manifestProblems({ name: 'dmdesk', version: '1.2.3', main: 'out/main/index.js', dependencies: {} }, repository)).toEqual([])
  })

  it('flags another version, another entry point, scripts and dev dependencies', () => {
    expect(manifestProblems({ version: '1.2.2', main: 'index.js', scripts: {}, devDependencies: {} }, repository)).toEqual([
      "packaged version 1.2.2 is not package.json's 1.2.3",
      'packaged entry point index.js is not out/main/index.js',
      'packaged package.json still has devDependencies',
      'packaged package.json still has scripts'
    ])
  })
})
