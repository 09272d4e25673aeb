import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // native addons (better-sqlite3, keytar) are safest in child processes
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
