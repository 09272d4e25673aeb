// Offline reading: with Postproxy unreachable, a reload still shows the cached chats and a cached
// thread, its image included (served from the local media cache).
import { expect, test } from './fixtures.ts'
import { chatList, messages, openChat, thread } from './inbox-page.ts'

test('with the backend gone, a reload still reads a cached thread and its image', async ({ liveApp, page }) => {
  test.skip(!liveApp.stopBackend, 'needs the stand-alone backend')
  await page.goto(liveApp.url)
  await page.getByRole('textbox', { name: 'API key' }).fill(liveApp.simulatorApiKey)
  await page.getByRole('button', { name: 'Connect' }).click()
  await expect(chatList(page).getByRole('listitem').first()).toBeVisible()
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 })

  await openChat(page, 'yuki.tea')
  const image = messages(page).getByRole('img', { name: 'Photo from you' })
  await expect(image).toBeVisible()
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)

  await liveApp.stopBackend!()
  await page.reload()

  await openChat(page, 'yuki.tea')
  await expect(thread(page).getByText('A dark glaze, perhaps tenmoku style?')).toBeVisible()
  await expect(image).toBeVisible()
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
  // A send finds the network gone: the status bar says so, and the message waits.
  await openChat(page, 'maya.bakes.bread')
  await page.getByRole('textbox', { name: 'Message' }).fill('Are you there?')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(page.getByRole('contentinfo', { name: 'Status' })).toContainText('Offline', { timeout: 30_000 })
})
