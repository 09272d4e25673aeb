// Builds the relay's npm package: compiles the relay's TypeScript to JavaScript in dist/ (Node's type
// stripping does not run .ts files inside node_modules), relative `.ts` imports rewritten to `.js`.
// `npm pack` runs it before packing (prepack) and with --clean after (postpack), so dist/ never lingers
// in the checkout, where the root type check would pick up its .d.ts files.
//
// Usage: node build.ts [--clean]
import { execFileSync } from 'node:child_process'
import { chmodSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const here = import.meta.dirname
const dist = join(here, 'dist')
rmSync(dist, { recursive: true, force: true })
if (!process.argv.includes('--clean')) {
  // TypeScript is a dev dependency of the checkout the package is built in, not of the package.
  const tsc = createRequire(join(here, 'package.json')).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.build.json')], { stdio: 'inherit' })
  const cli = join(dist, 'cli.js')
  if (!readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node')) throw new Error('dist/cli.js lost its #! line; npm could not run it as a bin.')
  chmodSync(cli, 0o755)
}
