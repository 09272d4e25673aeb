// The rules for what the packaged app.asar may and must contain: only what runs (the built main, preload
// and renderer plus production dependencies), never sources, tests, source maps or development tools.

/** Entries of `asar list`: absolute within the archive, '/'-separated, e.g. /out/main/index.js. */
export type AsarEntries = readonly string[]

export interface PackageManifests {
  /** package.json `dependencies` (what the app needs at run time). */
  dependencies: Record<string, string>
  /** package-lock.json `packages`: tells which installed packages only development uses. */
  lockPackages: Record<string, { dev?: boolean }>
}

export const REQUIRED_APP_ENTRIES = ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html'] as const

// Top-level folders of the repository that hold sources, tests or tooling: none of them may ship.
const SOURCE_FOLDERS = ['electron', 'renderer', 'shared', 'simulator', 'relay', 'tests', 'scripts', 'resources', 'build', 'docs', 'release', 'test-results', '.github', '.ci']

const APP_ROOTS = new Set(['/package.json', '/out', '/node_modules'])
const TYPE_DECLARATION = /\.d\.[cm]?ts$/

/** Packages installed only for development: every copy of them in the lockfile is marked dev. */
export function developmentOnlyPackages(lockPackages: PackageManifests['lockPackages']): Set<string> {
  const devCopies = new Map<string, boolean>()
  for (const [lockPath, entry] of Object.entries(lockPackages)) {
    if (!lockPath.includes('node_modules/')) continue
    const name = lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length)
    devCopies.set(name, (devCopies.get(name) ?? true) && entry.dev === true)
  }
  return new Set([...devCopies].filter(([, devOnly]) => devOnly).map(([name]) => name))
}

/** The package an entry belongs to (innermost node_modules), or null for app files. */
export function packageOfEntry(entry: string): string | null {
  const at = entry.lastIndexOf('/node_modules/')
  if (at === -1) return null
  const parts = entry.slice(at + '/node_modules/'.length).split('/')
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
}

/** The first rule a single entry breaks, if any (one line per entry keeps the report readable). */
function fileProblem(entry: string): string | null {
  if (SOURCE_FOLDERS.includes(entry.split('/')[1])) return `source or tooling folder shipped: ${entry}`
  if (!APP_ROOTS.has(entry) && !entry.startsWith('/out/') && !entry.startsWith('/node_modules/')) return `unexpected file outside out/ and node_modules/: ${entry}`
  if (entry.endsWith('.map')) return `source map shipped: ${entry}`
  if (/\.(ts|mts|cts|svelte)$/.test(entry) && !TYPE_DECLARATION.test(entry)) return `source file shipped: ${entry}`
  if (entry.startsWith('/out/') && /\/(tests?|__tests__)\//.test(entry)) return `test file shipped: ${entry}`
  return null
}

/**
 * Everything wrong with an archive's file list, as readable lines (empty when it is right).
 * `nativeTarget` is the platform-arch the build is for, e.g. "linux-x64".
 */
export function asarProblems(entries: AsarEntries, manifests: PackageManifests, nativeTarget: string): string[] {
  const problems: string[] = []
  const present = new Set(entries)
  for (const required of REQUIRED_APP_ENTRIES) if (!present.has(required)) problems.push(`missing ${required}`)
  if (!entries.some((entry) => /^\/out\/renderer\/assets\/[^/]+\.js$/.test(entry))) problems.push('missing the renderer bundle /out/renderer/assets/*.js')
  for (const dependency of Object.keys(manifests.dependencies)) {
    if (!present.has(`/node_modules/${dependency}/package.json`)) problems.push(`missing production dependency ${dependency}`)
  }

  const devOnly = developmentOnlyPackages(manifests.lockPackages)
  const reportedPackages = new Set<string>()
  for (const entry of entries) {
    const problem = fileProblem(entry)
    if (problem) problems.push(problem)
    const owner = packageOfEntry(entry)
    if (owner && devOnly.has(owner) && !reportedPackages.has(owner)) {
      reportedPackages.add(owner)
      problems.push(`development-only package shipped: ${owner}`)
    }
    const prebuild = /\/node_modules\/better-sqlite3\/prebuilds\/([^/]+)\.node$/.exec(entry)
    if (prebuild && prebuild[1] !== nativeTarget) problems.push(`better-sqlite3 addon for another platform shipped: ${prebuild[1]}.node`)
  }
  if (!present.has(`/node_modules/better-sqlite3/prebuilds/${nativeTarget}.node`)) problems.push(`missing better-sqlite3 addon for ${nativeTarget}`)
  if (!present.has('/node_modules/keytar/build/Release/keytar.node')) problems.push('missing keytar addon build/Release/keytar.node')
  return problems
}

/** The package.json inside the archive: the repository's version and entry point, no scripts or dev tooling. */
export function manifestProblems(packaged: Record<string, unknown>, repository: { version: string; main: string }): string[] {
  const problems: string[] = []
  if (packaged.version !== repository.version) problems.push(`packaged version ${String(packaged.version)} is not package.json's ${repository.version}`)
  if (packaged.main !== repository.main) problems.push(`packaged entry point ${String(packaged.main)} is not ${repository.main}`)
  for (const key of ['devDependencies', 'scripts']) if (key in packaged) problems.push(`packaged package.json still has ${key}`)
  return problems
}
