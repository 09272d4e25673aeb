// End to end with the Postproxy simulator: the demo inbox's media (photos, story mentions and the pictures of
// replied-to stories the simulator hosts under /media/) is cached through the store, then read back with the
// simulator gone.
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { Attachment, Message } from '../../../shared/postproxy.ts'
import { startSimulator, type RunningSimulator } from '../../../simulator/index.ts'
import { storyReplyMedia } from '../../../electron/inbox/media/index.ts'
import { openCacheWorld, type CacheWorld } from './media-fixtures.ts'

let world: CacheWorld
let sim: RunningSimulator | null = null
beforeEach(async () => {
  world = await openCacheWorld()
  sim = await startSimulator({ scenario: 'demo', seed: 7 })
})
afterEach(async () => {
  await sim?.close()
  await world.cleanup()
})

it("caches the demo inbox's attachments and serves them offline with the simulator's bytes and types", async () => {
  const running = sim!
  const chats = running.control.listChats(running.account, running.profileId)
  const messages: Message[] = chats.flatMap((chat) => running.control.listMessages(running.account, chat.id, 50))
  world.store.chats.upsertChats(chats)
  world.store.messages.upsertMessages(messages)

  const stories = messages.flatMap((message) => storyReplyMedia(message) ?? [])
  const attachments = [...messages.flatMap((message) => message.attachments ?? []).filter((attachment) => attachment.url), ...stories]
  expect(attachments.length).toBeGreaterThan(0)
  expect(attachments.some((attachment) => attachment.type === 'story_mention')).toBe(true)
  expect(stories.length).toBeGreaterThan(0)
  // Ground truth, from the simulator's own state rather than over HTTP.
  const expected = new Map(
    attachments.map((attachment) => {
      const mediaId = decodeURIComponent(new URL(attachment.url!).pathname.split('/').pop()!)
      const stored = running.state.media(mediaId)
      if (!stored) throw new Error(`the simulator does not host ${mediaId}`)
      return [attachment.id, stored]
    })
  )

  const online = world.newCache()
  for (const chat of chats) online.cacheRecent(chat.id, 50)
  await online.whenIdle()
  await online.stop()
  await running.close()
  sim = null

  const offline = world.newCache()
  expect(await offline.start()).toEqual({ partialFilesRemoved: 0, orphanFilesRemoved: 0, entriesForgotten: 0 })
  for (const attachment of attachments as Pick<Attachment, 'id' | 'type' | 'url'>[]) {
    const truth = expected.get(attachment.id)!
    for (const key of [attachment.id, attachment.url!]) {
      const file = await offline.resolve(key)
      expect(file, `${attachment.type} ${attachment.id}`).not.toBeNull()
      expect(file!.mime).toBe(truth.mime)
      expect(readFileSync(file!.path)).toEqual(truth.bytes)
    }
  }
  expect(offline.usage().files).toBe(new Set([...expected.values()].map((media) => media.bytes.toString('base64'))).size)
  expect(world.logged).toEqual([])
})
