import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HOUR_MS } from '../../../shared/messaging-window.ts'
import { checkSendWindow } from '../../../electron/inbox/outbox/window-guard.ts'
import { CHOSEN_FILE_REFUSED, chosenFileRefused, MediaRejectedError, safeFilename, stageMedia } from '../../../electron/inbox/outbox/media-intake.ts'

const inbound = Date.parse('2026-05-31T14:00:00.000Z')
const iso = new Date(inbound).toISOString()
/** The person has no comment a private reply could answer / has one. */
const noComment = () => 0
const oneComment = () => 1

describe('checkSendWindow', () => {
  it('lets sends through inside the window', () => {
    expect(checkSendWindow(iso, '@jane', 'instagram', inbound + 23 * HOUR_MS, null, noComment)).toEqual({ ok: true })
  })

  it('says when the window closed and that a human-agent reply is still possible', () => {
    const verdict = checkSendWindow(iso, '@jane', 'instagram', inbound + 27 * HOUR_MS, null, noComment)
    expect(verdict.ok).toBe(false)
    expect(!verdict.ok && verdict.reason).toBe(
      "The 24-hour messaging window closed 3 hours ago. For another 5 days you can still send a human-agent reply (a person answering @jane's question)."
    )
    expect(checkSendWindow(iso, '@jane', 'instagram', inbound + 27 * HOUR_MS, 'HUMAN_AGENT', noComment)).toEqual({ ok: true })
  })

  it('offers a private reply only when the person has a comment that can still take one', () => {
    const withComment = checkSendWindow(iso, '@jane', 'instagram', inbound + 27 * HOUR_MS, null, oneComment)
    expect(!withComment.ok && withComment.reason).toBe(
      "The 24-hour messaging window closed 3 hours ago. For another 5 days you can still send a human-agent reply (a person answering @jane's question), or reply privately to their recent comment."
    )
    const closed = checkSendWindow(iso, '@jane', 'instagram', inbound + 9 * 24 * HOUR_MS, null, oneComment)
    expect(!closed.ok && closed.reason).toMatch(/writes again\. A private reply to their recent comment still reaches them\.$/)
    const closedNoComment = checkSendWindow(iso, '@jane', 'instagram', inbound + 9 * 24 * HOUR_MS, null, noComment)
    expect(!closedNoComment.ok && closedNoComment.reason).not.toMatch(/private reply/)
    const neverWithComment = checkSendWindow(null, '@jane', 'instagram', inbound, null, oneComment)
    expect(!neverWithComment.ok && neverWithComment.reason).toMatch(/You can reach them with a private reply to their recent comment\.$/)
    const never = checkSendWindow(null, '@jane', 'instagram', inbound, null, noComment)
    expect(!never.ok && never.reason).toMatch(/none of their comments from the last 7 days can take a private reply/)
  })

  it('explains a closed window and a chat the participant never wrote in', () => {
    const closed = checkSendWindow(iso, '@jane', 'instagram', inbound + 9 * 24 * HOUR_MS, 'HUMAN_AGENT', noComment)
    expect(!closed.ok && closed.reason).toMatch(/^The messaging window closed 8 days ago: Instagram accepts no messages until @jane writes again\.$/)
    const never = checkSendWindow(null, '@jane', 'instagram', inbound, null, noComment)
    expect(!never.ok && never.reason).toMatch(/@jane hasn't messaged you yet, so Instagram won't deliver a message/)
  })

  it('names Facebook Messenger, whose window it is, on a Messenger chat', () => {
    const closed = checkSendWindow(iso, 'Ana Souza', 'facebook', inbound + 9 * 24 * HOUR_MS, null, oneComment)
    expect(!closed.ok && closed.reason).toBe(
      'The messaging window closed 8 days ago: Facebook Messenger accepts no messages until Ana Souza writes again. A private reply to their recent comment still reaches them.'
    )
    const never = checkSendWindow(null, 'Ana Souza', 'facebook', inbound, null, noComment)
    expect(!never.ok && never.reason).toBe(
      "Ana Souza hasn't messaged you yet, so Facebook Messenger won't deliver a message. You can write once they message you (none of their comments from the last 7 days can take a private reply)."
    )
    expect(checkSendWindow(iso, 'Ana Souza', 'facebook', inbound + 27 * HOUR_MS, 'HUMAN_AGENT', noComment)).toEqual({ ok: true })
  })
})

describe('stageMedia', () => {
  let dir: string
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 7)])
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'dmdesk-media-'))))
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  const upload = (name: string, bytes: Buffer, platform = 'instagram') => stageMedia({ name, bytesBase64: bytes.toString('base64') }, join(dir, 'staging'), platform)

  it('stages a durable, content-addressed copy of a file known by its real type', async () => {
    const original = join(dir, 'holiday photo.jpg') // a PNG with the wrong extension
    writeFileSync(original, png)
    const staged = await stageMedia({ path: original }, join(dir, 'staging'), 'instagram')
    expect(staged).toMatchObject({ filename: 'holiday photo.jpg', mime: 'image/png', kind: 'image', sizeBytes: png.length })
    rmSync(original)
    expect(readFileSync(staged.path)).toEqual(png)
    expect(staged.path.endsWith(staged.sha256)).toBe(true)
  })

  it('accepts uploaded bytes and strips path tricks from the name', async () => {
    const staged = await stageMedia({ name: '../../etc/passwd.png', bytesBase64: png.toString('base64') }, join(dir, 'staging'), 'instagram')
    expect(staged.filename).toBe('passwd.png')
    expect(safeFilename('..', 'fallback')).toBe('fallback')
    expect(safeFilename('C:\\Users\\me\\a"b\u0007.gif', 'x')).toBe('ab.gif')
  })

  it('refuses wrong types, empty and oversized uploads with the limit named, and stages nothing', async () => {
    await expect(upload('cute-cat.png', Buffer.from('MZ\u0090\u0000 this is a program'))).rejects.toThrow(/can't be sent on Instagram/)
    const error = await upload('big.png', Buffer.concat([png, Buffer.alloc(8 * 1024 * 1024)])).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MediaRejectedError)
    expect((error as MediaRejectedError).userMessage).toBe('Images can be at most 8 MB on Instagram; this one is 8.1 MB.')
    await expect(upload('empty.png', Buffer.alloc(0))).rejects.toThrow(MediaRejectedError)
    expect(existsSync(join(dir, 'staging'))).toBe(false)
  })

  it('on a Messenger chat sends any other file as a file, and names Facebook Messenger in refusals', async () => {
    const program = Buffer.from('MZ\u0090\u0000 this is a program')
    const staged = await upload('tool.exe', program, 'facebook')
    expect(staged).toMatchObject({ filename: 'tool.exe', mime: 'application/octet-stream', kind: 'file', sizeBytes: program.length })
    const error = await upload('big.png', Buffer.concat([png, Buffer.alloc(8 * 1024 * 1024)]), 'facebook').catch((e: unknown) => e)
    expect((error as MediaRejectedError).userMessage).toBe('Images can be at most 8 MB on Facebook Messenger; this one is 8.1 MB.')
  })

  it('refuses a chosen file that is not there in the same words, naming the chat’s platform', async () => {
    const missing = { path: join(dir, 'gone.png') }
    await expect(stageMedia(missing, join(dir, 'staging'), 'instagram')).rejects.toThrow(chosenFileRefused('instagram'))
    expect(chosenFileRefused('instagram')).toMatch(/^dmdesk can't send that file\. Instagram accepts images \(PNG, JPEG, GIF, up to 8 MB\);.* files \(PDF, up to 25 MB\)\. Check the file/)
    await expect(stageMedia(missing, join(dir, 'staging'), 'facebook')).rejects.toThrow(chosenFileRefused('facebook'))
    expect(chosenFileRefused('facebook')).toMatch(/^dmdesk can't send that file\. Facebook Messenger accepts .*audio files \(AAC, M4A, WAV, MP3, up to 25 MB\); files \(any type, up to 25 MB\)\. Check the file/)
    expect(CHOSEN_FILE_REFUSED).not.toMatch(/Instagram|Messenger/)
  })
})
