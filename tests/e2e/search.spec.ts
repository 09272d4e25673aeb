// Search over the local cache: an old message is found, its words marked, and opening it shows it.
import { expect, test } from './fixtures.ts'
import { chatButton, chatList, LIVE_UPDATE_TIMEOUT, openInbox, participantIdOf, thread } from './inbox-page.ts'

test('search finds an old message and opens it in its chat', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const search = page.getByRole('searchbox', { name: 'Search' })

  await search.fill('tenmoku')

  const results = page.getByRole('list', { name: 'Search results' })
  const hit = results.getByRole('button').filter({ hasText: 'perhaps tenmoku style' })
  // On a new cache the first sync may store that chat's history after the query was typed: the results follow.
  await expect(hit).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })
  await expect(hit).toContainText('Yuki Tanaka')
  await expect(hit.locator('mark')).toHaveText(['tenmoku'])
  await expect(chatList(page)).toHaveCount(0)

  await hit.click()
  await expect(thread(page).getByRole('heading', { name: 'Yuki Tanaka' })).toBeVisible()
  await expect(thread(page).getByText('A dark glaze, perhaps tenmoku style?')).toBeVisible()

  // Esc clears the search and brings the chat list back.
  await search.focus()
  await page.keyboard.press('Escape')
  await expect(search).toHaveValue('')
  await expect(chatList(page)).toBeVisible()
})

test('results on screen take in a message that arrives after the query was typed', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  const word = `celadon${Date.now()}`
  await page.getByRole('searchbox', { name: 'Search' }).fill(word)
  await expect(page.getByRole('status').filter({ hasText: `Nothing found for “${word}”.` })).toBeVisible()

  const text = `Is the ${word} bowl still available?`
  await demoApp.control('POST', '/_sim/inbound', { participant_external_id: await participantIdOf(demoApp.control, 'maya.bakes.bread'), body: text })

  const hit = page.getByRole('list', { name: 'Search results' }).getByRole('button').filter({ hasText: text })
  await expect(hit).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })
  await expect(hit.locator('mark')).toHaveText([word])
  await expect(page.getByText(`Nothing found for “${word}”.`)).toHaveCount(0)
})

test('search matches people by name', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await page.getByRole('searchbox', { name: 'Search' }).fill('Lindqvist')
  await expect(page.getByRole('list', { name: 'Search results' }).getByRole('button').first()).toContainText('Maya Lindqvist')
})

test('message text that looks like HTML is shown as text', async ({ demoApp, page }) => {
  const html = '<img src=x onerror="window.__pwned=1"><b>bold?</b>'
  await demoApp.control('POST', '/_sim/inbound', { participant_external_id: 'igsid_html_test', participant_username: 'html.tester', body: html })
  await openInbox(page, demoApp.url)
  // It arrives with the next sync (the relay's push, or the poll): no reload needed.
  await expect(chatButton(page, 'html.tester')).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })
  await page.getByRole('searchbox', { name: 'Search' }).fill('bold')
  const hit = page.getByRole('list', { name: 'Search results' }).getByRole('button').first()
  await expect(hit).toContainText('<b>bold?</b>')
  await hit.click()
  await expect(thread(page).getByText(html)).toBeVisible()
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
})
