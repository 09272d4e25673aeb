// Web mode's build: electron/web/cli.ts and the core it runs, bundled into out/web/cli.js the way the
// desktop app's main process is bundled into out/main (dependencies stay in node_modules). The benchmarks
// start web mode from here, so process start -> first paint is measured on the code that ships, not on
// Node's type stripping of ~150 source files. `npm run web` keeps running the sources.
import { join } from 'node:path'
import { build } from 'vite'

const root = join(import.meta.dirname, '..')

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  // zod bundled in, not loaded from node_modules: Node would resolve, read and compile its ~100 ESM files one
  // by one at every start (about 100 ms of a cold start's core import, side by side).
  ssr: { noExternal: ['zod'] },
  build: {
    ssr: join(root, 'electron/web/cli.ts'),
    outDir: join(root, 'out/web'),
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    rolldownOptions: { output: { format: 'esm', entryFileNames: 'cli.js' } }
  }
})
console.log('web mode built: out/web/cli.js')
