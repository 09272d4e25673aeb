// The Comments view's steps, by role and accessible name, for the comments specs.
import type { Locator, Page } from '@playwright/test'
import { expect } from './fixtures.ts'

export function commentsList(page: Page): Locator {
  return page.getByRole('list', { name: 'Comments' })
}

/** The row of a thread, found by its author's username. */
export function commentRow(page: Page, username: string): Locator {
  return commentsList(page).getByRole('listitem').getByRole('button', { name: `@${username}` })
}

export function commentThread(page: Page): Locator {
  return page.getByRole('region', { name: 'Comment thread' })
}

/** One comment of the open thread, by its author's handle ("@jane"). */
export function commentEntry(page: Page, handle: string): Locator {
  return commentThread(page).getByRole('article', { name: `Comment by ${handle}` })
}

export async function showComments(page: Page): Promise<void> {
  await page.getByRole('group', { name: 'Show' }).getByRole('button', { name: /^Comments/ }).click()
  await expect(commentsList(page)).toBeVisible()
}

export async function openComment(page: Page, username: string): Promise<void> {
  await commentRow(page, username).click()
  await expect(commentThread(page)).toBeVisible()
}
