// Checks a packaged app's resources directory (what electron-builder wrote next to the executable):
//   - app.asar holds exactly what runs (asar-contents.ts rules);
//   - native addons sit in app.asar.unpacked, built for the target platform and CPU;
//   - every package the main and preload bundles import is in the archive;
//   - the packaged better-sqlite3 (with FTS5), keytar and the other production dependencies load under
//     Node from an extracted copy, so the packaged files themselves are what gets loaded.
// Usage: node scripts/packaging/check-package.ts <resourcesDir> [--target linux-x64]
// Exits 1 and lists the problems when anything is wrong.
import asar from '@electron/asar'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve, sep } from 'node:path'
import { importSpecifiers } from '../check-boundaries.ts'
import { asarProblems, manifestProblems } from './asar-contents.ts'
import { mismatchedAddons } from './native-binary-target.ts'

const repoRoot = resolve(import.meta.dirname, '../..')
const BUILTINS = new Set(builtinModules)

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T
}

function isBareSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.startsWith('node:') && !BUILTINS.has(specifier)
}

/** Packages a built bundle imports that do not resolve inside the extracted app (electron is provided by the runtime). */
function unresolvedImports(appDir: string, bundle: string): string[] {
  const file = join(appDir, bundle)
  const requireFromBundle = createRequire(file)
  const missing: string[] = []
  for (const specifier of new Set(importSpecifiers(readFileSync(file, 'utf8')))) {
    if (!isBareSpecifier(specifier) || specifier === 'electron') continue
    try {
      const resolved = requireFromBundle.resolve(specifier)
      if (!resolved.startsWith(appDir + sep)) missing.push(`${bundle} imports ${specifier}, found outside the package at ${resolved}`)
    } catch {
      missing.push(`${bundle} imports ${specifier}, which is not in the package`)
    }
  }
  return missing
}

/** Loads the packaged native modules and production dependencies from the extracted app; returns what failed. */
function loadProblems(appDir: string, target: string, dependencies: string[]): string[] {
  const problems: string[] = []
  const requireFromApp = createRequire(join(appDir, 'package.json'))
  const loadedFromApp = (suffix: string) => Object.keys(requireFromApp.cache).some((key) => key.startsWith(appDir + sep) && key.endsWith(suffix))
  try {
    const Database = requireFromApp('better-sqlite3') as new (file: string) => {
      exec(sql: string): void
      prepare(sql: string): { get(...args: unknown[]): unknown }
      close(): void
    }
    const db = new Database(':memory:')
    db.exec("CREATE VIRTUAL TABLE messages USING fts5(body); INSERT INTO messages VALUES ('packaged search works')")
    const row = db.prepare('SELECT body FROM messages WHERE messages MATCH ?').get('search') as { body: string } | undefined
    db.close()
    if (row?.body !== 'packaged search works') problems.push('better-sqlite3 loaded but FTS5 search returned nothing')
    if (!loadedFromApp(join('better-sqlite3', 'prebuilds', `${target}.node`))) problems.push(`better-sqlite3 did not load prebuilds/${target}.node from the package`)
  } catch (error) {
    problems.push(`better-sqlite3 does not load: ${error instanceof Error ? error.message : error}`)
  }
  try {
    const keytar = requireFromApp('keytar') as { getPassword?: unknown; setPassword?: unknown }
    if (typeof keytar.getPassword !== 'function' || typeof keytar.setPassword !== 'function') problems.push('keytar loaded without its functions')
    if (!loadedFromApp(join('keytar', 'build', 'Release', 'keytar.node'))) problems.push('keytar did not load its addon from the package')
  } catch (error) {
    problems.push(`keytar does not load: ${error instanceof Error ? error.message : error}`)
  }
  for (const dependency of dependencies) {
    try {
      const resolved = requireFromApp.resolve(dependency)
      if (!resolved.startsWith(appDir + sep)) problems.push(`${dependency} resolved outside the package`)
      requireFromApp(dependency)
    } catch (error) {
      problems.push(`${dependency} does not load: ${error instanceof Error ? error.message : error}`)
    }
  }
  return problems
}

export interface PackageCheckReport {
  problems: string[]
  entries: number
  asarBytes: number
}

export function checkPackage(resourcesDir: string, target: string): PackageCheckReport {
  const archive = join(resourcesDir, 'app.asar')
  const unpackedDir = `${archive}.unpacked`
  if (!existsSync(archive)) return { problems: [`no app.asar in ${resourcesDir}`], entries: 0, asarBytes: 0 }
  const packageJson = readJson<{ version: string; main: string; dependencies: Record<string, string> }>(join(repoRoot, 'package.json'))
  const lock = readJson<{ packages: Record<string, { dev?: boolean }> }>(join(repoRoot, 'package-lock.json'))
  const entries = asar.listPackage(archive, { isPack: false }).map((entry) => entry.split(sep).join('/'))
  const problems = asarProblems(entries, { dependencies: packageJson.dependencies, lockPackages: lock.packages }, target)

  // Every addon in the archive must be unpacked (Electron cannot dlopen from inside an asar).
  for (const entry of entries.filter((e) => e.endsWith('.node'))) {
    if (!existsSync(join(unpackedDir, entry))) problems.push(`${entry} is not unpacked`)
  }
  const [platform, arch] = target.split('-')
  if (existsSync(unpackedDir)) problems.push(...mismatchedAddons(unpackedDir, platform, arch))
  else problems.push('no app.asar.unpacked: native modules cannot load')

  const extracted = mkdtempSync(join(tmpdir(), 'dmdesk-asar-'))
  try {
    asar.extractAll(archive, extracted)
    problems.push(...manifestProblems(readJson(join(extracted, 'package.json')), packageJson))
    problems.push(...unresolvedImports(extracted, 'out/main/index.js'), ...unresolvedImports(extracted, 'out/preload/index.cjs'))
    if (target === `${process.platform}-${process.arch}`) problems.push(...loadProblems(extracted, target, Object.keys(packageJson.dependencies)))
    else problems.push(`cannot load ${target} modules on ${process.platform}-${process.arch}`)
  } finally {
    rmSync(extracted, { recursive: true, force: true })
  }
  return { problems, entries: entries.length, asarBytes: statSync(archive).size }
}

if (import.meta.main) {
  const [resourcesDir, flag, value] = process.argv.slice(2)
  if (!resourcesDir) {
    console.error('usage: node scripts/packaging/check-package.ts <resourcesDir> [--target <platform>-<arch>]')
    process.exit(2)
  }
  const target = flag === '--target' && value ? value : `${process.platform}-${process.arch}`
  const report = checkPackage(resolve(resourcesDir), target)
  if (report.problems.length > 0) {
    const shown = report.problems.slice(0, 40)
    const more = report.problems.length - shown.length
    console.error(`package check failed (${report.problems.length} problems):\n  ${shown.join('\n  ')}${more > 0 ? `\n  … and ${more} more` : ''}`)
    process.exit(1)
  }
  console.log(`package check ok: ${report.entries} asar entries, ${(report.asarBytes / 1e6).toFixed(1)} MB, target ${target}; native modules load from the package`)
}
