// electron/inbox/postproxy must run under plain Node: it may import node builtins, zod, shared/ and itself,
// never electron, renderer/, relay/ or simulator/ (ARCHITECTURE.md, Boundaries).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const directory = fileURLToPath(new URL('../../../electron/inbox/postproxy/', import.meta.url))

function importsOf(source: string): string[] {
  const specifiers: string[] = []
  for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g)) specifiers.push(match[1])
  for (const match of source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) specifiers.push(match[1])
  return specifiers
}

it('imports only node builtins, zod, shared/ and its own files', () => {
  const files = readdirSync(directory).filter((name) => name.endsWith('.ts'))
  expect(files.length).toBeGreaterThanOrEqual(5)
  const allowed = (specifier: string) =>
    specifier.startsWith('node:') || specifier === 'zod' || specifier.startsWith('../../../shared/') || /^\.\/[\w-]+\.ts$/.test(specifier)
  const offending = files.flatMap((name) =>
    importsOf(readFileSync(join(directory, name), 'utf8'))
      .filter((specifier) => !allowed(specifier))
      .map((specifier) => `${name}: ${specifier}`)
  )
  expect(offending).toEqual([])
})
