// Saved replies through the real core and its InboxApi, on a real SQLite file: create, edit, delete,
// reorder, export and import (all or nothing), with the rules of shared/saved-reply-rules.ts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { InboxEventName, InboxResult, SavedReply } from '../../../shared/inbox-api.ts'
import { Inbox } from '../../../electron/inbox/inbox.ts'
import { MemorySecretStore } from '../../../electron/inbox/secrets/index.ts'

let dir: string
let inbox: Inbox | undefined
let pushed: InboxEventName[]

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dmdesk-saved-replies-'))
  pushed = []
})

afterEach(async () => {
  await inbox?.close()
  inbox = undefined
  rmSync(dir, { recursive: true, force: true })
})

async function open(): Promise<Inbox> {
  inbox = await Inbox.open({ dataDir: dir, secrets: new MemorySecretStore(), now: () => Date.UTC(2026, 5, 1, 9, 30) })
  inbox.on((name) => pushed.push(name))
  return inbox
}

function value<T>(result: InboxResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

const titles = (replies: SavedReply[]) => replies.map((r) => r.title)

describe('saved replies', () => {
  it('are created, edited, reordered and deleted, and kept across a restart', async () => {
    const { api } = await open()
    const shipping = value(await api.createSavedReply({ title: 'Shipping', text: 'Hi {first_name}! We ship worldwide in 3–5 days.' }))
    const sizes = value(await api.createSavedReply({ title: 'Sizes', text: 'Our sizes run true to fit.', quickReplies: [{ title: 'S', payload: 'SIZE_S' }, { title: 'M', payload: 'SIZE_M' }] }))
    const collab = value(await api.createSavedReply({ title: 'Collab', text: 'Thanks! Email us.', buttons: [{ type: 'web_url', title: 'Email us', url: 'https://example.com/collab' }] }))
    expect(sizes.quickReplies).toEqual([{ content_type: 'text', title: 'S', payload: 'SIZE_S' }, { content_type: 'text', title: 'M', payload: 'SIZE_M' }])
    expect(collab.buttons).toEqual([{ type: 'web_url', title: 'Email us', url: 'https://example.com/collab', payload: null }])

    expect(value(await api.updateSavedReply({ id: shipping.id, title: 'Shipping times', text: 'Hi {first_name}! 3–5 days.' }))).toMatchObject({ title: 'Shipping times', quickReplies: null })
    expect(titles(value(await api.reorderSavedReplies({ ids: [collab.id, shipping.id, sizes.id] })))).toEqual(['Collab', 'Shipping times', 'Sizes'])
    value(await api.deleteSavedReply({ id: sizes.id }))
    expect(await api.deleteSavedReply({ id: sizes.id })).toEqual({ ok: false, error: { code: 'not_found', message: 'That saved reply no longer exists.' } })
    expect(pushed.filter((n) => n === 'saved-replies-changed')).toHaveLength(6)

    await inbox!.close()
    const reopened = await open()
    expect(value(await reopened.api.listSavedReplies())).toEqual([
      { id: collab.id, title: 'Collab', text: 'Thanks! Email us.', quickReplies: null, buttons: collab.buttons },
      { id: shipping.id, title: 'Shipping times', text: 'Hi {first_name}! 3–5 days.', quickReplies: null, buttons: null }
    ])
  })

  it('refuses what Instagram would refuse, in the words of the shared rules, and stores nothing', async () => {
    const { api } = await open()
    expect(await api.createSavedReply({ title: ' ', text: '' })).toEqual({
      ok: false,
      error: { code: 'invalid_argument', message: "Give the reply a title. The reply's text can't be empty." }
    })
    expect(await api.createSavedReply({ title: 'Links', text: 'Pick one', buttons: [{ type: 'web_url', title: 'Shop', url: 'http://insecure.example' }] })).toEqual({
      ok: false,
      error: { code: 'invalid_argument', message: 'buttons[0].url must be an https:// URL' }
    })
    const long = await api.createSavedReply({ title: 'Long', text: 'x'.repeat(81), buttons: [{ type: 'postback', title: 'OK', payload: 'OK' }] })
    expect(long).toMatchObject({ ok: false, error: { message: 'body must be at most 80 characters when buttons are present (it has 81).' } })
    expect(await api.createSavedReply({ title: 'Both', text: 'Hi', quickReplies: [{ title: 'A', payload: 'A' }], buttons: [{ type: 'postback', title: 'B', payload: 'B' }] })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('quick_replies can be sent only on a plain-text message') }
    })
    expect(await api.reorderSavedReplies({ ids: [12345] })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } })
    expect(value(await api.listSavedReplies())).toEqual([])
  })

  it('export and import round-trip; a bad file imports nothing and says what is wrong', async () => {
    const { api } = await open()
    value(await api.createSavedReply({ title: 'Shipping', text: 'Hi {first_name}!' }))
    value(await api.createSavedReply({ title: 'Sizes', text: 'Pick one', quickReplies: [{ title: 'S', payload: 'SIZE_S' }] }))
    const exported = value(await api.exportSavedReplies())
    expect(exported.fileName).toBe('dmdesk-saved-replies-2026-06-01.json')
    expect(JSON.parse(exported.json)).toMatchObject({ format: 'dmdesk.saved-replies', version: 1, replies: [{ title: 'Shipping' }, { title: 'Sizes', quickReplies: [{ title: 'S' }] }] })

    const before = value(await api.listSavedReplies())
    const broken = JSON.stringify({
      format: 'dmdesk.saved-replies',
      version: 1,
      replies: [{ title: 'Fine', text: 'Fine' }, { title: 'Bad chips', text: 'x', quickReplies: [{ title: 'far too long for a chip title', payload: 'P' }] }, { title: '', text: 'x' }]
    })
    expect(await api.importSavedReplies({ json: broken, mode: 'replace' })).toEqual({
      ok: false,
      error: {
        code: 'invalid_argument',
        message:
          'Nothing was imported. Reply 2 (“Bad chips”): quick_replies[0].title must be at most 20 characters (it has 29). Reply 3: Give the reply a title.'
      }
    })
    expect(await api.importSavedReplies({ json: '{"replies": []', mode: 'append' })).toMatchObject({ ok: false, error: { message: expect.stringContaining("This file isn't JSON") } })
    expect(await api.importSavedReplies({ json: '{"format":"something-else"}', mode: 'append' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining("isn't a dmdesk saved-replies export") }
    })
    expect(await api.importSavedReplies({ json: JSON.stringify({ format: 'dmdesk.saved-replies', version: 1, replies: [{ title: 'No text' }] }), mode: 'append' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('Reply 1 (“No text”), text:') }
    })
    expect(value(await api.listSavedReplies())).toEqual(before)

    expect(value(await api.importSavedReplies({ json: exported.json, mode: 'append' }))).toEqual({ imported: 2 })
    expect(titles(value(await api.listSavedReplies()))).toEqual(['Shipping', 'Sizes', 'Shipping', 'Sizes'])
    expect(value(await api.importSavedReplies({ json: exported.json, mode: 'replace' }))).toEqual({ imported: 2 })
    const replaced = value(await api.listSavedReplies())
    expect(replaced.map(({ title, text, quickReplies, buttons }) => ({ title, text, quickReplies, buttons }))).toEqual(
      before.map(({ title, text, quickReplies, buttons }) => ({ title, text, quickReplies, buttons }))
    )
  })
})
