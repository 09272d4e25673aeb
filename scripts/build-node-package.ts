// Builds one of the project's npm packages (relay/, simulator/): compiles its TypeScript to JavaScript
// in <package>/dist with the package's tsconfig.build.json (Node's type stripping does not run .ts files
// inside node_modules), relative `.ts` imports rewritten to `.js`, and makes every `bin` executable.
// `npm pack` runs it before packing (prepack) and with --clean after (postpack), so dist/ never lingers
// in the checkout, where the root type check would pick up its .d.ts files.
//
// Usage (from the package's directory, as npm runs lifecycle scripts): node ../scripts/build-node-package.ts [--clean]
import { execFileSync } from 'node:child_process'
import { chmodSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const packageDir = process.cwd()
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string; bin?: Record<string, string> }
rmSync(join(packageDir, 'dist'), { recursive: true, force: true })
if (!process.argv.includes('--clean')) {
  // TypeScript is a dev dependency of the checkout the package is built in, not of the package.
  const tsc = createRequire(import.meta.filename).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json')], { stdio: 'inherit' })
  for (const [name, file] of Object.entries(manifest.bin ?? {})) {
    const bin = join(packageDir, file)
    if (!readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')) {
      throw new Error(`${manifest.name}: ${file} has no #!/usr/bin/env node line, so npm could not run it as the ${name} command.`)
    }
    chmodSync(bin, 0o755)
  }
}
