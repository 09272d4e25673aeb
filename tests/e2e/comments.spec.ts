// The Comments view as a creator uses it (web mode, the real core, the demo's simulator): browsing the
// comments on their posts (filters, reply threads, the post and its link), answering one privately (the chat
// opens, the message marked) or in public, hiding and liking, the 7-day and once-per-comment refusals in
// plain words, a closed chat offering a private reply only when a recent comment exists, a new chat by
// Instagram-scoped ID, the comments read offline, and the notification setting for comments.
import type { Page } from '@playwright/test'
import { expect, test, type DmdeskApp } from './fixtures.ts'
import { captureNotifications, chatButton, LIVE_UPDATE_TIMEOUT, messageRow, openChat, openInbox, participantIdOf, screenshot, thread } from './inbox-page.ts'
import { commentEntry, commentRow, commentsList, commentThread, openComment, showComments } from './comments-page.ts'

test('browse comments: newest first, reply threads, the post with its thumbnail and link, filters', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await expect(page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Comments, 3 new' })).toBeVisible()
  await showComments(page)
  await expect(page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Comments', exact: true })).toBeVisible()
  const rows = commentsList(page).getByRole('listitem')
  await expect(rows.first()).toContainText('sam.kiln')
  await expect(rows.first()).toContainText('Is it beginner friendly?')
  await expect(rows.first()).toContainText('Private reply possible for 6 more days')

  await openComment(page, 'pia.makes.things')
  const detail = commentThread(page)
  await expect(detail.getByRole('heading', { name: 'Comment on your post' })).toBeVisible()
  await expect(detail).toContainText("Glaze test tiles from this week's firing")
  const link = detail.getByRole('link', { name: 'Open the post on Instagram' })
  await expect(link).toHaveAttribute('href', /^https:\/\/www\.instagram\.com\/p\//)
  await expect(link).toHaveAttribute('target', '_blank')
  const picture = detail.getByRole('img', { name: 'Your post' })
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
  const replies = detail.getByRole('list', { name: 'Replies' }).getByRole('article')
  await expect(replies).toHaveCount(2)
  await expect(replies.nth(0)).toHaveAccessibleName('Comment by @ollie.clay')
  await expect(replies.nth(1)).toHaveAccessibleName(/^Comment by @/)
  await expect(replies.nth(1)).toContainText('(you)')
  await screenshot(page, 'comments-thread')

  await page.getByRole('group', { name: 'Filter comments' }).getByRole('button', { name: 'Hidden' }).click()
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('followers.boost.now')
  await page.getByRole('group', { name: 'Filter comments' }).getByRole('button', { name: 'Has a chat' }).click()
  await expect(commentRow(page, 'hannah.at.home')).toBeVisible()
  await expect(commentRow(page, 'sam.kiln')).toHaveCount(0)
  await expect(commentRow(page, 'hannah.at.home')).toContainText('Chat')
  await page.getByRole('group', { name: 'Filter comments' }).getByRole('button', { name: 'Unanswered' }).click()
  await expect(commentRow(page, 'maya.bakes.bread')).toHaveCount(0)
  await expect(commentRow(page, 'sam.kiln')).toBeVisible()

  // Keyboard: the list is one Tab stop, and the arrow keys, Home and End move within it.
  const listRows = commentsList(page).getByRole('button')
  await page.getByRole('group', { name: 'Filter comments' }).getByRole('button', { name: 'Has a chat' }).focus()
  await page.keyboard.press('Tab')
  await expect(listRows.first()).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(listRows.nth(1)).toBeFocused()
  await page.keyboard.press('End')
  await expect(listRows.last()).toBeFocused()
  await page.keyboard.press('Home')
  await expect(listRows.first()).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Enter')
  await expect(commentThread(page).getByRole('article').first()).toBeVisible()
  await expect(listRows.nth(1)).toHaveAttribute('aria-current', 'true')
  // Tab leaves the list at once, and Shift+Tab comes back to the open thread's row.
  await listRows.nth(1).focus()
  await page.keyboard.press('Tab')
  await expect(commentsList(page).locator(':focus')).toHaveCount(0)
  await page.keyboard.press('Shift+Tab')
  await expect(listRows.nth(1)).toBeFocused()
})

test('a private reply from the Comments view opens the chat with the message marked, and is refused a second time', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await showComments(page)
  await openComment(page, 'sam.kiln')
  const sam = commentEntry(page, '@sam.kiln')
  await expect(sam.getByRole('group', { name: 'Private reply to @sam.kiln' })).toContainText('Possible for 6 more days to reply privately')
  await sam.getByRole('textbox', { name: 'Private reply to @sam.kiln' }).fill('Totally! Beginners are very welcome 🏺')
  await sam.getByRole('button', { name: 'Send private reply' }).click()

  await expect(thread(page)).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })
  await expect(thread(page).getByRole('heading', { name: 'Sam Whitaker' })).toBeVisible()
  await expect(messageRow(page, 'Totally! Beginners are very welcome')).toContainText('Private reply to: «Is it beginner friendly? Never touched a wheel 🙈»')
  await expect(chatButton(page, 'sam.kiln')).toBeVisible()

  await showComments(page)
  await openComment(page, 'sam.kiln')
  await expect(commentEntry(page, '@sam.kiln').getByRole('group', { name: 'Private reply to @sam.kiln' })).toContainText('Replied privately.')
  await expect(commentEntry(page, '@sam.kiln').getByRole('textbox', { name: 'Private reply to @sam.kiln' })).toHaveCount(0)
  await commentEntry(page, '@sam.kiln').getByRole('button', { name: 'Open the chat with @sam.kiln' }).click()
  await expect(thread(page).getByRole('heading', { name: 'Sam Whitaker' })).toBeVisible()
})

test('a comment older than 7 days says why it cannot take a private reply', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await showComments(page)
  await openComment(page, 'ana.ceramica')
  const ana = commentEntry(page, '@ana.ceramica')
  await expect(ana).toContainText('This comment is 19 days old. Instagram allows a private reply only within 7 days of a comment.')
  await expect(ana.getByRole('button', { name: 'Send private reply' })).toHaveCount(0)
})

test('once per comment: a reply Instagram already took elsewhere is refused in its words', async ({ liveApp, page }) => {
  // Without the relay (live mode, polling), the reply sent elsewhere is not in the app yet when it tries.
  await signInLive(page, liveApp)
  await showComments(page)
  await openComment(page, 'june.gardens')
  const state = (await liveApp.control('GET', '/_sim/state')) as { comments: { id: string; post_id: string; participant_username: string }[]; profiles: { id: string }[] }
  const comment = state.comments.find((c) => c.participant_username === 'june.gardens')!
  await liveApp.control('POST', `/api/posts/${comment.post_id}/comments/${comment.id}/private_reply?profile_id=${state.profiles[0].id}`, { text: 'From my phone' })

  const entry = commentEntry(page, '@june.gardens')
  await entry.getByRole('textbox', { name: 'Private reply to @june.gardens' }).fill('Yes, in stock!')
  await entry.getByRole('button', { name: 'Send private reply' }).click()
  await expect(entry.getByRole('alert')).toContainText('Private reply not sent: Instagram says: This comment already has a private reply')
  await expect(entry.getByRole('button', { name: 'Retry' })).toHaveCount(0)
  await entry.getByRole('button', { name: 'Discard' }).click()
  await expect(entry.getByRole('alert')).toHaveCount(0)
})

test('hide and like a comment, and reply in public', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await showComments(page)
  await openComment(page, 'matteo.cooks')
  const matteo = commentEntry(page, '@matteo.cooks')
  await matteo.getByRole('button', { name: 'Like', exact: true }).click()
  await expect(matteo.getByRole('button', { name: 'Liked' })).toHaveAttribute('aria-pressed', 'true')
  await expect(matteo).toContainText('1 like')
  await matteo.getByRole('button', { name: 'Hide' }).click()
  await expect(matteo.getByRole('button', { name: 'Unhide' })).toBeVisible()
  await expect(matteo).toContainText('Hidden')

  await commentThread(page).getByRole('textbox', { name: 'Public reply to @matteo.cooks' }).fill('We ship to Italy, 5 days 🇮🇹')
  await commentThread(page).getByRole('button', { name: 'Reply in public' }).click()
  const reply = commentThread(page).getByRole('list', { name: 'Replies' }).getByRole('article')
  await expect(reply).toContainText('We ship to Italy, 5 days 🇮🇹')
  await expect(reply).toContainText('(you)')

  // The server has all three, once each.
  const state = (await demoApp.control('GET', '/_sim/state')) as { comments: { participant_username: string; text: string; is_hidden: boolean; metadata: { liked_by_business: boolean } }[] }
  await expect
    .poll(async () => {
      const now = (await demoApp.control('GET', '/_sim/state')) as typeof state
      const original = now.comments.find((c) => c.participant_username === 'matteo.cooks')!
      return [original.is_hidden, original.metadata.liked_by_business, now.comments.filter((c) => c.text === 'We ship to Italy, 5 days 🇮🇹').length]
    })
    .toEqual([true, true, 1])
  await expect(commentsList(page)).toBeVisible()
})

test('a closed chat offers a private reply only when a recent comment can take one', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await openChat(page, 'grace.collects')
  const composerNote = thread(page).getByText(/^Instagram only allows normal replies/)
  await expect(composerNote).toBeVisible()
  await expect(composerNote).not.toContainText('private reply')
  await expect(thread(page).getByRole('heading', { name: 'Reach them through a comment' })).toHaveCount(0)

  await demoApp.control('POST', '/_sim/comments', { participant_external_id: await participantIdOf(demoApp.control, 'grace.collects'), text: 'Is Saturday still open?' })
  const reach = thread(page).getByRole('region', { name: 'Reach them through a comment' })
  await expect(reach).toContainText('Is Saturday still open?', { timeout: LIVE_UPDATE_TIMEOUT })
  await expect(composerNote).toContainText('Or send a private reply to their recent comment, below.')
  await screenshot(page, 'closed-chat-with-comment')

  await reach.getByRole('textbox', { name: /^Private reply to/ }).fill('Yes! One spot left for you.')
  await reach.getByRole('button', { name: 'Send private reply' }).click()
  await expect(messageRow(page, 'Yes! One spot left for you.')).toContainText('Private reply to: «Is Saturday still open?»', { timeout: LIVE_UPDATE_TIMEOUT })
  await expect(reach).toHaveCount(0)
  await expect(composerNote).not.toContainText('private reply')
})

test('new chat by Instagram-scoped ID, from the button and from the chat switcher', async ({ demoApp, page }) => {
  await openInbox(page, demoApp.url)
  await page.getByRole('button', { name: 'New chat' }).click()
  const dialog = page.getByRole('dialog', { name: 'New chat' })
  await dialog.getByRole('textbox', { name: 'Instagram-scoped ID' }).fill('@jane')
  await dialog.getByRole('button', { name: 'Start chat' }).click()
  await expect(dialog.getByRole('alert')).toContainText('it is not a @username')
  await dialog.getByRole('textbox', { name: 'Instagram-scoped ID' }).fill('17841400000000777')
  await dialog.getByRole('textbox', { name: 'Username (optional)' }).fill('new.person')
  await dialog.getByRole('textbox', { name: 'Name (optional)', exact: true }).fill('New Person')
  await dialog.getByRole('button', { name: 'Start chat' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(thread(page).getByRole('heading', { name: 'New Person' })).toBeVisible()
  await expect(thread(page).getByText(/^You can't message them yet: Instagram lets you write only after they message you, or through a private reply to one of their comments\./)).toBeVisible()

  await page.keyboard.press('Control+k')
  const switcher = page.getByRole('dialog', { name: 'Go to chat' })
  await switcher.getByRole('searchbox', { name: 'Find a chat' }).fill('17841400000000888')
  await switcher.getByRole('option', { name: 'Start a new chat with Instagram ID 17841400000000888' }).click()
  const second = page.getByRole('dialog', { name: 'New chat' })
  await expect(second.getByRole('textbox', { name: 'Instagram-scoped ID' })).toHaveValue('17841400000000888')
  await second.getByRole('button', { name: 'Start chat' }).click()
  await expect(thread(page)).toBeVisible()
  await expect(chatButton(page, 'Instagram user').first()).toBeVisible()
})

test('comments and their thumbnails read offline, and search finds them', async ({ liveApp, page }) => {
  test.skip(!liveApp.stopBackend, 'needs the stand-alone backend')
  await signInLive(page, liveApp)
  await showComments(page)
  await expect(commentRow(page, 'june.gardens')).toBeVisible()
  const thumbnail = commentRow(page, 'june.gardens').locator('img')
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)

  await liveApp.stopBackend!()
  await page.reload()
  await showComments(page)
  await expect(commentRow(page, 'june.gardens')).toContainText('Is the oatmeal speckled mug still in stock?')
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
  await openComment(page, 'pia.makes.things')
  await expect(commentThread(page).getByRole('list', { name: 'Replies' }).getByRole('article')).toHaveCount(2)

  await page.getByRole('searchbox', { name: 'Search' }).fill('oatmeal')
  const hit = page.getByRole('list', { name: 'Search results' }).getByRole('button', { name: /Comment on “The spring drop is live/ })
  await expect(hit).toBeVisible()
  await hit.click()
  await expect(commentEntry(page, '@june.gardens')).toBeVisible()
})

test('new comments notify, with their own setting', async ({ demoApp, page }) => {
  const notifications = await captureNotifications(page, new URL(demoApp.url).origin)
  await openInbox(page, demoApp.url)
  await demoApp.control('POST', '/_sim/comments', { participant_external_id: 'igsid_e2e_commenter', participant_username: 'keen.commenter', text: 'When is the next workshop?' })
  await expect.poll(notifications, { timeout: LIVE_UPDATE_TIMEOUT }).toEqual([{ title: 'keen.commenter commented', body: 'When is the next workshop?', tag: expect.stringMatching(/^dmdesk-comment-/) }])
  await expect(page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Comments, 4 new' })).toBeVisible()

  await page.getByRole('button', { name: 'Settings' }).click()
  const settings = page.getByRole('dialog', { name: 'Settings' })
  await settings.getByRole('checkbox', { name: 'Notify about new comments' }).uncheck()
  await page.keyboard.press('Escape')
  await demoApp.control('POST', '/_sim/comments', { participant_external_id: 'igsid_e2e_quiet', participant_username: 'quiet.commenter', text: 'Shh' })
  await expect(page.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Comments, 5 new' })).toBeVisible({ timeout: LIVE_UPDATE_TIMEOUT })
  // A message still notifies: only comments were turned off.
  await demoApp.control('POST', '/_sim/inbound', { participant_external_id: 'igsid_e2e_writer', participant_username: 'writer', body: 'Hello!' })
  await expect.poll(notifications, { timeout: LIVE_UPDATE_TIMEOUT }).toHaveLength(2)
  expect((await notifications()).map((n) => n.title)).toEqual(['keen.commenter commented', 'writer'])

  // Clicking a comment notification opens it in the Comments view.
  await page.evaluate(() => (window as unknown as { __notificationInstances: Notification[] }).__notificationInstances[0].onclick?.(new Event('click')))
  await expect(commentEntry(page, '@keen.commenter')).toBeVisible()
})

async function signInLive(page: Page, app: DmdeskApp): Promise<void> {
  await page.goto(app.url)
  await page.getByRole('textbox', { name: 'API key' }).fill(app.simulatorApiKey)
  await page.getByRole('button', { name: 'Connect' }).click()
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 })
}
