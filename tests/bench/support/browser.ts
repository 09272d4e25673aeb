// Debian's Chromium for the app benchmarks, with the flags the e2e tests use (TOOLCHAIN.md), and the
// inbox's landmarks as the renderer names them.
import { chromium, type Browser, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../support/chromium.ts'
import { startNodeProcess, WEB_MODE, type NodeProcess } from './node-process.ts'
import type { PageGlobals } from './page-globals.ts'

export function launchChromium(): Promise<Browser> {
  // Precise memory figures for the heap benchmarks.
  return chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] })
}

/** A new page (1280 × 800) that stamps, on its own clock, when the first chat row reaches the DOM. */
export async function firstRowStampingPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
  await page.addInitScript(() => {
    const g = globalThis as unknown as PageGlobals
    new g.MutationObserver(() => {
      if (g.__firstChatRowAt === undefined && g.document.querySelector('[aria-label="Chats"] button')) {
        const at = performance.now()
        g.requestAnimationFrame(() => (g.__firstChatRowAt = at))
      }
    }).observe(g.document, { childList: true, subtree: true })
  })
  return page
}

/**
 * Web mode as built, started on `dataDir` with the simulator's key given (as if stored), its URL opened in
 * a page from firstRowStampingPage: ms from the process's spawn to that page's first chat row painted.
 */
export async function startToFirstRow(page: Page, sim: NodeProcess, dataDir: string): Promise<{ web: NodeProcess; ms: number }> {
  const web = await startNodeProcess(WEB_MODE, ['--port', '0', '--data-dir', dataDir, '--memory-secrets'], { POSTPROXY_BASE_URL: sim.info.url, POSTPROXY_API_KEY: sim.info.apiKey })
  const navigatedAt = performance.now()
  await page.goto(web.info.url)
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__firstChatRowAt !== undefined, undefined, { timeout: 120_000 })
  const firstRowInPage = await page.evaluate(() => (globalThis as unknown as PageGlobals).__firstChatRowAt as number)
  return { web, ms: navigatedAt - web.spawnedAt + firstRowInPage }
}

export const chatsList = (page: Page) => page.getByRole('list', { name: 'Chats' })
export const messageLog = (page: Page) => page.getByRole('log', { name: /^Messages with/ })

/**
 * Clicks the chat row at `index` of the list and resolves with the time, measured inside the page, from
 * the click to the first frame painted with that chat's messages in the DOM (the message log is named after
 * the participant, so the previous chat's rows do not count). Playwright's own round trips are not in it.
 * The row's @username is read in the same task as the click: messages arriving meanwhile re-sort the list.
 * Rejects if that chat is not shown within `limitMs`.
 */
export async function openChatAt(page: Page, index: number, limitMs = 30_000): Promise<{ ms: number; username: string }> {
  return page.evaluate(
    ({ index, limitMs }) =>
      new Promise<{ ms: number; username: string }>((resolve, reject) => {
        const { document, MutationObserver, requestAnimationFrame } = globalThis as unknown as PageGlobals
        const button = document.querySelector('[aria-label="Chats"]')?.querySelectorAll('button')[index]
        if (!button) return reject(new Error(`no chat row ${index}`))
        const username = ((button.textContent ?? '').match(/@([\w.]+)/) ?? [])[1]
        if (!username) return reject(new Error(`chat row ${index} shows no @username`))
        const shown = () =>
          [...document.querySelectorAll('[role="log"]')].some((log) => (log.getAttribute('aria-label') ?? '').includes(username) && log.querySelector('[data-message-row]'))
        const started = performance.now()
        const limit = setTimeout(() => {
          observer.disconnect()
          reject(new Error(`the chat with @${username} was not shown within ${limitMs} ms of the click`))
        }, limitMs)
        const painted = () => {
          clearTimeout(limit)
          requestAnimationFrame(() => resolve({ ms: performance.now() - started, username }))
        }
        const observer = new MutationObserver(() => {
          if (!shown()) return
          observer.disconnect()
          painted()
        })
        observer.observe(document.body, { childList: true, subtree: true, attributes: true })
        button.click()
        if (shown()) {
          observer.disconnect()
          painted()
        }
      }),
    { index, limitMs }
  )
}
