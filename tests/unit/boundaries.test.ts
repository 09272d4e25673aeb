import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { findBoundaryViolations, importSpecifiers } from '../../scripts/check-boundaries.ts'

const repoRoot = join(import.meta.dirname, '../..')
let tree: string | undefined

function fakeTree(files: Record<string, string>): string {
  tree = mkdtempSync(join(tmpdir(), 'dmdesk-boundaries-'))
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(tree, path)), { recursive: true })
    writeFileSync(join(tree, path), content)
  }
  return tree
}

afterEach(() => {
  if (tree) rmSync(tree, { recursive: true, force: true })
  tree = undefined
})

describe('import boundaries', () => {
  it('holds for the repository', () => {
    expect(findBoundaryViolations(repoRoot)).toEqual([])
  })

  it('reads every import form and ignores comments', () => {
    const source = `
      import a from 'a'
      import type { B } from "./b.ts"
      import * as c from 'c'
      import 'side-effect'
      export { d } from './d.ts'
      const e = await import('e')
      const f = require('f')
      // import nope from 'commented-out'
      /* import nope2 from 'block-commented' */
    `
    expect(importSpecifiers(source)).toEqual(['a', './b.ts', 'c', 'side-effect', './d.ts', 'e', 'f'])
  })

  it('rejects electron, Node built-ins and core code in the renderer', () => {
    const root = fakeTree({
      'renderer/src/bad.ts': "import { ipcRenderer } from 'electron'\nimport fs from 'node:fs'\nimport { x } from '../../electron/inbox/x.ts'\n",
      'renderer/src/ok.ts': "import { mount } from 'svelte'\nimport { z } from '../../shared/postproxy.ts'\n"
    })
    const violations = findBoundaryViolations(root)
    expect(violations.map((v) => `${v.file} ${v.specifier}`)).toEqual([
      'renderer/src/bad.ts electron',
      'renderer/src/bad.ts node:fs',
      'renderer/src/bad.ts ../../electron/inbox/x.ts'
    ])
  })

  it('keeps shared/ neutral, the core free of electron, and the servers apart', () => {
    const root = fakeTree({
      'shared/a.ts': "import { createHash } from 'crypto'\n",
      'electron/inbox/b.ts': "import { app } from 'electron'\nimport { startSimulator } from '../../simulator/index.ts'\n",
      'simulator/c.ts': "import { startRelay } from '../relay/index.ts'\n",
      'electron/main/ok.ts': "import { app } from 'electron'\nimport { openStore } from '../inbox/store/index.ts'\n",
      'electron/demo/ok.ts': "import { startSimulator } from '../../simulator/index.ts'\n"
    })
    expect(findBoundaryViolations(root).map((v) => `${v.file} ${v.specifier}`)).toEqual([
      'shared/a.ts crypto',
      'electron/inbox/b.ts electron',
      'electron/inbox/b.ts ../../simulator/index.ts',
      'simulator/c.ts ../relay/index.ts'
    ])
  })
})
