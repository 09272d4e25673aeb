// What the specs do as a user would, by role and accessible name: the shared steps of the e2e suite.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect } from './fixtures.ts'

export const SCREENSHOT_DIR = join(import.meta.dirname, '../../test-results/screenshots')

/**
 * How long a change made on the backend may take to show: the relay pushes it at once when paired;
 * otherwise the core's poll (every 10 s while in use) brings it.
 */
export const LIVE_UPDATE_TIMEOUT = 25_000

export function chatList(page: Page): Locator {
  return page.getByRole('list', { name: 'Chats' })
}

/** The row button of a chat, found by the participant's username, as a person scanning the list would. */
export function chatButton(page: Page, username: string): Locator {
  return chatList(page).getByRole('listitem').getByRole('button', { name: username })
}

export function thread(page: Page): Locator {
  return page.getByRole('region', { name: /^Conversation with/ })
}

export function messages(page: Page): Locator {
  return page.getByRole('log', { name: /^Messages with/ })
}

/** The row of the message showing `text` (a bubble with its status and actions). */
export function messageRow(page: Page, text: string | RegExp): Locator {
  return messages(page).locator('[data-message-row]').filter({ hasText: text })
}

/**
 * An accessible name made of `parts` in this order, each announced after a comma (a browser may put
 * a space before the comma where the parts are laid out side by side; a screen reader pauses the same).
 */
export function announcedParts(...parts: (string | RegExp)[]): RegExp {
  const source = parts.map((part) => (typeof part === 'string' ? part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : part.source))
  return new RegExp(`^${source.join('\\s*,\\s*')}$`)
}

export async function openInbox(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await expect(chatList(page).getByRole('listitem').first()).toBeVisible()
}

export async function openChat(page: Page, username: string): Promise<void> {
  await chatButton(page, username).click()
  await expect(thread(page)).toBeVisible()
  await expect(messages(page)).toBeVisible()
}

/** A small real PNG (8x8, one colour), as bytes. */
export function pngBytes(): number[] {
  const base64 =
    'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAIAQMAAAD+wSzIAAAABlBMVEX///+/v7+jQ3Y5AAAADklEQVQI12P4AIX8EAgALgAD/aNpbtIAAAAASUVORK5CYII='
  return [...Buffer.from(base64, 'base64')]
}

/** Drags a file from outside the browser onto `target`, as the OS does: dragenter, dragover, drop. */
export async function dropFile(target: Locator, file: { name: string; type: string; bytes: number[] }): Promise<void> {
  const dataTransfer = await target.page().evaluateHandle((f) => {
    const transfer = new DataTransfer()
    transfer.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }))
    return transfer
  }, file)
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer })
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
}

/** The participant id of a chat in the simulator, for the control API. */
export async function participantIdOf(control: (method: string, path: string) => Promise<unknown>, username: string): Promise<string> {
  type Chat = { participant_external_id: string; participant_username?: string | null }
  const profiles = (await control('GET', '/api/profiles')) as { data: { id: string }[] }
  for (const profile of profiles.data) {
    for (let page = 0; page < 10; page++) {
      const answer = (await control('GET', `/api/profiles/${profile.id}/chats?per_page=100&page=${page}`)) as { data: Chat[] }
      const chat = answer.data.find((c) => c.participant_username === username)
      if (chat) return chat.participant_external_id
      if (answer.data.length < 100) break
    }
  }
  throw new Error(`no chat with @${username} in the simulator`)
}

export interface CapturedNotification {
  title: string
  body: string
  tag: string
}

/**
 * Records every `new Notification(...)` the page makes (the real API still runs), so a spec can
 * check what a creator would have seen. Permission is granted by the browser context.
 */
export async function captureNotifications(page: Page, origin: string): Promise<() => Promise<CapturedNotification[]>> {
  await page.context().grantPermissions(['notifications'], { origin })
  await page.addInitScript(() => {
    const shown: { title: string; body: string; tag: string }[] = []
    const instances: Notification[] = []
    const Real = window.Notification
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options)
        shown.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' })
        instances.push(this)
      }
    }
    Object.assign(window, { Notification: Recorded, __shownNotifications: shown, __notificationInstances: instances })
  })
  return () => page.evaluate(() => [...(window as unknown as { __shownNotifications: CapturedNotification[] }).__shownNotifications])
}

/** Clicks the n-th notification shown, as the OS would on a click. */
export async function clickNotification(page: Page, index: number): Promise<void> {
  await page.evaluate((i) => {
    const n = (window as unknown as { __notificationInstances: Notification[] }).__notificationInstances[i]
    n.onclick?.(new Event('click'))
  }, index)
}
