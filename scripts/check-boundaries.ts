// Checks the import boundaries of ARCHITECTURE.md over the source tree, so "what runs where" is
// machine-checked: a renderer file importing `electron` or `node:fs` fails `npm run lint` (and CI).
//
// Usage: node scripts/check-boundaries.ts [root]
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface BoundaryViolation {
  file: string
  specifier: string
  rule: string
}

interface Area {
  /** Directory prefix, relative to the root, with a trailing slash. */
  prefix: string
  /** Areas (by prefix) this area may import from by relative path, besides itself. */
  mayImportAreas: string[]
  mayImportElectron: boolean
  mayImportNodeBuiltins: boolean
  /** Bare package names allowed; null = any package. */
  packages: string[] | null
}

// Order matters: the first matching prefix wins, so more specific prefixes come first.
const AREAS: Area[] = [
  { prefix: 'shared/', mayImportAreas: [], mayImportElectron: false, mayImportNodeBuiltins: false, packages: ['zod'] },
  { prefix: 'renderer/', mayImportAreas: ['shared/'], mayImportElectron: false, mayImportNodeBuiltins: false, packages: ['svelte', 'zod'] },
  { prefix: 'electron/main/', mayImportAreas: ['shared/', 'electron/inbox/', 'electron/demo/'], mayImportElectron: true, mayImportNodeBuiltins: true, packages: null },
  { prefix: 'electron/preload/', mayImportAreas: ['shared/'], mayImportElectron: true, mayImportNodeBuiltins: false, packages: ['zod'] },
  { prefix: 'electron/inbox/', mayImportAreas: ['shared/'], mayImportElectron: false, mayImportNodeBuiltins: true, packages: null },
  { prefix: 'electron/web/', mayImportAreas: ['shared/', 'electron/inbox/', 'electron/demo/'], mayImportElectron: false, mayImportNodeBuiltins: true, packages: null },
  // Demo mode wiring is the one place that starts the simulator and the relay.
  { prefix: 'electron/demo/', mayImportAreas: ['shared/', 'electron/inbox/', 'simulator/', 'relay/'], mayImportElectron: false, mayImportNodeBuiltins: true, packages: null },
  { prefix: 'relay/', mayImportAreas: ['shared/'], mayImportElectron: false, mayImportNodeBuiltins: true, packages: null },
  { prefix: 'simulator/', mayImportAreas: ['shared/'], mayImportElectron: false, mayImportNodeBuiltins: true, packages: null }
]

const SOURCE_EXTENSIONS = ['.ts', '.svelte', '.js', '.mjs', '.cjs']
const SKIPPED_DIRS = new Set(['node_modules', 'out', 'release', 'test-results', 'playwright-report', '.git'])
const NODE_BUILTINS = new Set(builtinModules)

// import x from '…' · import '…' · export … from '…' · import('…') · require('…')
const IMPORT_PATTERN =
  /(?:^|[^\w$.])(?:import|export)\s+(?:type\s+)?(?:[\w$*{}\s,]+?\s+from\s+)?['"]([^'"]+)['"]|(?:^|[^\w$.])(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* sourceFiles(join(dir, entry.name))
    } else if (SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
      yield join(dir, entry.name)
    }
  }
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1')
}

export function importSpecifiers(source: string): string[] {
  const specifiers: string[] = []
  for (const match of stripComments(source).matchAll(IMPORT_PATTERN)) specifiers.push(match[1] ?? match[2])
  return specifiers
}

function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function areaOf(relPath: string): Area | undefined {
  return AREAS.find((area) => relPath.startsWith(area.prefix))
}

function checkImport(root: string, file: string, area: Area, specifier: string): string | null {
  if (specifier.startsWith('.')) {
    const target = relative(root, resolve(dirname(file), specifier)).split(sep).join('/')
    const targetArea = areaOf(target)
    if (targetArea === area) return null
    if (targetArea && area.mayImportAreas.includes(targetArea.prefix)) return null
    return `${area.prefix} may not import from ${targetArea?.prefix ?? target}`
  }
  const name = packageName(specifier)
  if (name === 'electron') return area.mayImportElectron ? null : `only electron/main/ and electron/preload/ may import electron`
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(name)) {
    return area.mayImportNodeBuiltins ? null : `${area.prefix} may not import Node built-ins`
  }
  if (area.packages && !area.packages.includes(name)) return `${area.prefix} may import only ${area.packages.join(', ')}`
  return null
}

export function findBoundaryViolations(root: string): BoundaryViolation[] {
  const violations: BoundaryViolation[] = []
  for (const area of AREAS) {
    let files: string[]
    try {
      files = [...sourceFiles(join(root, area.prefix))]
    } catch {
      continue // the area does not exist (yet)
    }
    for (const file of files) {
      const relPath = relative(root, file).split(sep).join('/')
      if (areaOf(relPath) !== area) continue // a more specific area owns it
      for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
        const rule = checkImport(root, file, area, specifier)
        if (rule) violations.push({ file: relPath, specifier, rule })
      }
    }
  }
  return violations
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..'))
  const violations = findBoundaryViolations(root)
  for (const v of violations) console.error(`${v.file}: imports '${v.specifier}': ${v.rule}`)
  if (violations.length > 0) {
    console.error(`boundaries: ${violations.length} violation(s)`)
    process.exit(1)
  }
  console.log('boundaries: ok')
}
