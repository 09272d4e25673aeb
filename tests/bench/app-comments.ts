// The Comments view's figures for the app benchmark (tests/bench/app.ts):
// - comments_paint_ms: 10,000 cached comments, page loaded -> Comments view opened -> first rows painted (median; target < 300)
// - comment_visible_p50_ms: demo mode (relay tunnel on), simulator comment -> its row visible (median; target < 150)
import type { Page } from '@playwright/test'
import type { CommentInput, InboxStore } from '../../electron/inbox/store/index.ts'

const commentsList = (page: Page) => page.getByRole('list', { name: 'Comments' })
const showComments = (page: Page) => page.getByRole('group', { name: 'Show' }).getByRole('button', { name: /^Comments/ })

/**
 * A creator's comment cache: `count` comments over 20 posts of the profile, a fifth of them replies, the
 * newest 50 unread. Without post images (the thumbnails would measure the media route, not the list).
 */
export function seedComments(store: InboxStore, profileId: string, count: number, newestAt: number): void {
  const posts = Array.from({ length: 20 }, (_, i) => ({
    id: `post_bench_${i}`,
    profileId,
    platform: 'instagram',
    caption: `Bench post ${i}: a new glaze, a studio tour, a workshop date.`,
    permalink: `https://www.instagram.com/p/bench${i}/`,
    imageKey: null,
    imageUrl: null,
    createdAt: new Date(newestAt - 30 * 86_400_000).toISOString(),
    raw: { id: `post_bench_${i}` }
  }))
  store.posts.upsertPosts(posts)
  const comments: CommentInput[] = Array.from({ length: count }, (_, i) => {
    const at = new Date(newestAt - (count - i) * 60_000).toISOString()
    const isReply = i % 5 === 4
    return {
      id: `cmt_bench_${i}`,
      externalId: `179000000${String(i).padStart(8, '0')}`,
      postId: `post_bench_${i % 20}`,
      profileId,
      platform: 'instagram',
      parentExternalId: isReply ? `179000000${String(i - 1).padStart(8, '0')}` : null,
      body: `Comment ${i}: is the speckled mug back in stock, and do you ship to Lisbon?`,
      authorExternalId: `igsid_bench_${i % 700}`,
      authorUsername: `fan.${i % 700}`,
      authorName: null,
      authorAvatarUrl: null,
      likeCount: i % 7,
      likedByBusiness: i % 11 === 0,
      isHidden: i % 97 === 0,
      isOwn: false,
      permalink: null,
      postedAt: at,
      createdAt: at,
      raw: { id: `cmt_bench_${i}` }
    }
  })
  for (let i = 0; i < comments.length; i += 1000) {
    store.comments.upsertComments(comments.slice(i, i + 1000), { source: 'current', unread: (c) => Number(c.id.slice('cmt_bench_'.length)) >= count - 50 })
  }
}

/** Each round loads the page, then opens the Comments view and waits for its first row. */
export async function measureCommentsPaint(page: Page, url: string, rounds: number, timed: (action: () => Promise<unknown>) => Promise<number>): Promise<number[]> {
  const paints: number[] = []
  for (let i = 0; i < rounds; i++) {
    await page.goto(url)
    await page.getByRole('list', { name: 'Chats' }).getByRole('listitem').first().waitFor({ timeout: 60_000 })
    paints.push(
      await timed(async () => {
        await showComments(page).click()
        await commentsList(page).getByRole('listitem').first().waitFor()
      })
    )
  }
  return paints
}

/** With the Comments view open: a participant comments in the simulator, until its row is on screen. */
export async function measureCommentVisible(
  page: Page,
  simulator: { url: string; apiKey: string },
  rounds: number,
  timed: (action: () => Promise<unknown>) => Promise<number>
): Promise<number[]> {
  await showComments(page).click()
  await commentsList(page).waitFor()
  const latencies: number[] = []
  for (let i = 0; i < rounds; i++) {
    const text = `bench comment ${i} ${Date.now()}`
    latencies.push(
      await timed(async () => {
        const response = await fetch(`${simulator.url}/_sim/comments`, {
          method: 'POST',
          headers: { authorization: `Bearer ${simulator.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ participant_external_id: `igsid_bench_commenter_${i}`, participant_username: `bench.commenter${i}`, text })
        })
        if (!response.ok) throw new Error(`POST /_sim/comments answered ${response.status}`)
        await commentsList(page).getByText(text).waitFor({ timeout: 30_000 })
      })
    )
  }
  return latencies
}
