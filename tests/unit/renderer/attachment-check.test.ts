import { mkdtempSync, openAsBlob, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MEDIA_RULES } from '../../../shared/media-rules.ts'
import { loadAttachmentCheck } from './renderer-modules.ts'

const { acceptedMimeTypes, attachmentLabel, checkAttachment } = await loadAttachmentCheck()

const MB = 1024 * 1024
const PNG_HEAD = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
const JPEG_HEAD = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0])
const MP4_HEAD = Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypisom'), 0, 0, 2, 0])
const PDF_HEAD = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n')
const TEXT = new TextEncoder().encode('just some notes, not a picture at all\n')

let filesDir: string
beforeAll(() => {
  filesDir = mkdtempSync(join(tmpdir(), 'dmdesk-attachments-'))
})
afterAll(() => {
  rmSync(filesDir, { recursive: true, force: true })
})

/**
 * A file the way a picker or a drop hands it over: a name, a declared type, and bytes on disk. The
 * rest of its size is a sparse hole, so a 30 MB video costs nothing to make.
 */
async function fileOnDisk(name: string, type: string, head: Uint8Array, totalBytes = head.length): Promise<{ file: File; path: string }> {
  const path = join(mkdtempSync(join(filesDir, 'f-')), name)
  writeFileSync(path, head)
  if (totalBytes > head.length) truncateSync(path, totalBytes)
  return { file: new File([await openAsBlob(path)], name, { type }), path }
}

async function file(name: string, type: string, head: Uint8Array, totalBytes = head.length): Promise<File> {
  return (await fileOnDisk(name, type, head, totalBytes)).file
}

describe('checkAttachment', () => {
  it('accepts a file by its bytes, whatever its name and declared type say', async () => {
    expect(await checkAttachment(await file('holiday.png', 'image/png', PNG_HEAD, 2 * MB), 'instagram')).toEqual({ ok: true, kind: 'image', mime: 'image/png' })
    expect(await checkAttachment(await file('IMG_2041', '', JPEG_HEAD, 300_000), 'instagram')).toEqual({ ok: true, kind: 'image', mime: 'image/jpeg' })
    expect(await checkAttachment(await file('really-a-png.jpg', 'image/jpeg', PNG_HEAD, 1_000), 'instagram')).toEqual({ ok: true, kind: 'image', mime: 'image/png' })
    expect(await checkAttachment(await file('clip.mov', 'video/quicktime', MP4_HEAD, 10 * MB), 'instagram')).toEqual({ ok: true, kind: 'video', mime: 'video/mp4' })
    expect(await checkAttachment(await file('invoice.pdf', 'application/pdf', PDF_HEAD, 40_000), 'instagram')).toEqual({ ok: true, kind: 'file', mime: 'application/pdf' })
  })

  it('refuses a file named like a photo whose bytes are not one', async () => {
    const result = await checkAttachment(await file('cat.jpg', 'image/jpeg', TEXT), 'instagram')
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.message).toMatch(/^"cat\.jpg" isn't really a JPEG file, so Instagram would refuse it\. You can send images \(PNG, JPEG, GIF, up to 8 MB\)/)
    }
  })

  it('refuses a type Instagram does not take, naming it when known', async () => {
    const zip = await checkAttachment(await file('photos.zip', 'application/zip', Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 0, 0])), 'instagram')
    expect(zip).toMatchObject({ ok: false })
    if (!zip.ok) expect(zip.message).toMatch(/^This file type \(application\/zip\) can't be sent on Instagram\. You can send /)
    const unknown = await checkAttachment(await file('notes', '', TEXT), 'instagram')
    expect(unknown).toMatchObject({ ok: false })
    if (!unknown.ok) expect(unknown.message).toMatch(/^This file type can't be sent on Instagram\./)
  })

  it('refuses media over its size limit before any upload, rounding the size up', async () => {
    const image = await checkAttachment(await file('huge.png', 'image/png', PNG_HEAD, 8 * MB + 1), 'instagram')
    expect(image).toEqual({ ok: false, message: 'Images can be at most 8 MB on Instagram; this one is 8.1 MB.' })
    expect(await checkAttachment(await file('edge.png', 'image/png', PNG_HEAD, 8 * MB), 'instagram')).toMatchObject({ ok: true })
    const video = await checkAttachment(await file('long.mp4', 'video/mp4', MP4_HEAD, 30 * MB), 'instagram')
    expect(video).toEqual({ ok: false, message: 'Videos can be at most 25 MB on Instagram; this one is 30 MB.' })
  })

  it('explains, by name, a file that can no longer be read (deleted after it was picked)', async () => {
    const { file: picked, path } = await fileOnDisk('clip.mp4', 'video/mp4', MP4_HEAD)
    rmSync(path)
    expect(await checkAttachment(picked, 'instagram')).toEqual({
      ok: false,
      message: 'dmdesk couldn\'t read "clip.mp4". Check that the file still exists and try again.'
    })
  })
})

describe('checkAttachment on a Messenger chat', () => {
  const MP3_HEAD = Uint8Array.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0x21, 0, 0, 0, 0, 0, 0])

  it('takes MP3 and any other file up to 25 MB, as Facebook Messenger does', async () => {
    expect(await checkAttachment(await file('song.mp3', 'audio/mpeg', MP3_HEAD, 3 * MB), 'facebook')).toEqual({ ok: true, kind: 'audio', mime: 'audio/mpeg' })
    expect(await checkAttachment(await file('photos.zip', 'application/zip', Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 0, 0]), MB), 'facebook')).toEqual({
      ok: true,
      kind: 'file',
      mime: 'application/zip'
    })
    expect(await checkAttachment(await file('notes', '', TEXT), 'facebook')).toEqual({ ok: true, kind: 'file', mime: 'application/octet-stream' })
  })

  it('names Facebook Messenger, never Instagram, in its refusals', async () => {
    expect(await checkAttachment(await file('huge.png', 'image/png', PNG_HEAD, 8 * MB + 1), 'facebook')).toEqual({
      ok: false,
      message: 'Images can be at most 8 MB on Facebook Messenger; this one is 8.1 MB.'
    })
    expect(await checkAttachment(await file('big.zip', 'application/zip', TEXT, 26 * MB), 'facebook')).toEqual({
      ok: false,
      message: 'Files can be at most 25 MB on Facebook Messenger; this one is 26 MB.'
    })
    const fake = await checkAttachment(await file('cat.jpg', 'image/jpeg', TEXT), 'facebook')
    expect(fake).toMatchObject({ ok: false })
    if (!fake.ok) expect(fake.message).toMatch(/^"cat\.jpg" isn't really a JPEG file, so Facebook Messenger would refuse it\. You can send .*files \(any type, up to 25 MB\)\.$/)
  })

  it('the same MP3 is refused on Instagram', async () => {
    const mp3 = await checkAttachment(await file('song.mp3', 'audio/mpeg', MP3_HEAD, 3 * MB), 'instagram')
    expect(mp3).toMatchObject({ ok: false })
    if (!mp3.ok) expect(mp3.message).toMatch(/^This file type \(audio\/mpeg\) can't be sent on Instagram\./)
  })
})

describe('acceptedMimeTypes', () => {
  it('lists every type of the Instagram media rules for the file picker', () => {
    const listed = acceptedMimeTypes('instagram').split(',')
    expect(listed).toEqual(MEDIA_RULES.flatMap((rule) => Object.keys(rule.types)))
    expect(listed).toContain('image/jpeg')
    expect(listed).toContain('application/pdf')
    expect(listed.every((type) => /^[a-z]+\/[a-z0-9.+-]+$/.test(type))).toBe(true)
  })

  it('lets the picker offer any file on Messenger, which sends any type as a file', () => {
    expect(acceptedMimeTypes('facebook')).toBe('')
  })
})

describe('attachmentLabel', () => {
  it('calls a file a PDF on Instagram and a File on Messenger', () => {
    expect(attachmentLabel('file', 'instagram')).toBe('PDF')
    expect(attachmentLabel('file', 'facebook')).toBe('File')
    expect(attachmentLabel('image', 'facebook')).toBe('Photo')
    expect(attachmentLabel('audio', 'instagram')).toBe('Audio')
  })
})
