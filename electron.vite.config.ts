import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

const r = (p: string) => resolve(import.meta.dirname, p)

export default defineConfig({
  main: {
    build: {
      // zod bundled in, as in web mode (scripts/build-web.ts): its ~100 ESM files cost a cold start more to
      // resolve and load one by one than the same code in the bundle.
      externalizeDeps: { exclude: ['zod'] },
      outDir: r('out/main'),
      rolldownOptions: { input: { index: r('electron/main/index.ts') } }
    }
  },
  preload: {
    build: {
      outDir: r('out/preload'),
      rolldownOptions: {
        input: { index: r('electron/preload/index.ts') },
        // a sandboxed preload must be CommonJS; package.json has "type": "module", hence .cjs
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: r('renderer'),
    // root is renderer/, so point the plugin at the repo-level svelte.config.js explicitly
    plugins: [svelte({ configFile: r('svelte.config.js') })],
    build: {
      // electron-vite leaves the renderer unminified; minified, the page has less to download, parse and
      // compile at every start (the renderer's script is on the cold start's critical path).
      minify: true,
      outDir: r('out/renderer'),
      rolldownOptions: { input: { index: r('renderer/index.html') } }
    }
  }
})
