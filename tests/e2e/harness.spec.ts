// The browser the other specs and the app benchmarks drive (tests/support/chromium.ts): launched with
// Playwright's own disabled features still in force, and without the address bar's drop-down renderer, which
// took more CPU than the page under test at every navigation.
import { readdirSync, readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { CHROMIUM_DISABLED_FEATURES } from '../support/chromium.ts'

/** The command lines of the Chromium browser processes this worker launched (not their helper processes). */
function launchedBrowserCommandLines(): string[][] {
  const lines: string[][] = []
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const parent = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
      if (parent === String(process.pid) && args.includes('--remote-debugging-pipe') && !args.some((a) => a.startsWith('--type='))) lines.push(args)
    } catch {
      // The process ended while it was read.
    }
  }
  return lines
}

test('Chromium keeps every feature Playwright disables, and runs no address-bar renderer beside the page', async ({ browser, page }) => {
  await page.goto('data:text/html,<title>blank</title>')
  const cdp = await browser.newBrowserCDPSession()
  const { targetInfos } = await cdp.send('Target.getTargets')
  expect(targetInfos.filter((target) => target.type === 'browser_ui').map((target) => target.url)).toEqual([])

  const commandLines = launchedBrowserCommandLines()
  expect(commandLines).toHaveLength(1)
  // Chromium applies only the last --disable-features: it must hold every name an earlier one gave.
  const lists = commandLines[0].filter((arg) => arg.startsWith('--disable-features=')).map((arg) => arg.slice('--disable-features='.length).split(','))
  const applied = lists.at(-1) ?? []
  expect(applied).toEqual(expect.arrayContaining([...CHROMIUM_DISABLED_FEATURES]))
  expect(lists.flat().filter((name) => !applied.includes(name)), 'disabled by Playwright, missing from tests/support/chromium.ts').toEqual([])
})
