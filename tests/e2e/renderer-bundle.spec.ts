// The built renderer (npm run build) stays free of zod: validating Postproxy's and the bridge's payloads is the
// core's job, and zod in the page cost every start about 130 ms of parsing and evaluation (README, Performance v2).
// A shared module that imports zod for its values, reached from the renderer, would bring it back silently.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'

const ZOD_MARK = 'ZodError'
const scriptsIn = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.js')).map((name) => join(dir, name))

test('the built renderer carries no zod, which the core bundles', () => {
  // The mark is what zod leaves in a minified bundle: the core's bundle has it.
  expect(scriptsIn('out/main').some((file) => readFileSync(file, 'utf8').includes(ZOD_MARK))).toBe(true)
  const rendererScripts = scriptsIn('out/renderer')
  expect(rendererScripts.length).toBeGreaterThan(0)
  expect(rendererScripts.filter((file) => readFileSync(file, 'utf8').includes(ZOD_MARK))).toEqual([])
})
