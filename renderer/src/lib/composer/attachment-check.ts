// A picked, dropped or pasted file is checked by its real type (magic bytes, not its name) and size
// before anything leaves the machine, with Meta's limits for the chat's platform from shared/media-rules.ts.
import { checkMedia, describeAllowedMedia, mediaRuleFor, mediaRulesFor, sniffMediaType, type MediaKind } from '../../../../shared/media-rules.ts'
import { platformName } from '../../../../shared/platforms.ts'

/** Enough leading bytes for every signature sniffMediaType knows. */
const HEAD_BYTES = 64

export type AttachmentCheck = { ok: true; kind: MediaKind; mime: string } | { ok: false; message: string }

/** Checks `file` against the rules of `platform` (the chat's), whose name the refusals say. */
export async function checkAttachment(file: File, platform: string): Promise<AttachmentCheck> {
  let head: Uint8Array
  try {
    head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer())
  } catch {
    return { ok: false, message: `dmdesk couldn't read "${file.name}". Check that the file still exists and try again.` }
  }
  const sniffed = sniffMediaType(head)
  if (sniffed) return checkMedia(sniffed, file.size, platform)
  const named = file.type ? mediaRuleFor(file.type, platform) : undefined
  if (named && !named.anyType) {
    // Named like an accepted type, but its bytes say otherwise: the platform would refuse it too.
    const typeName = named.types[file.type.toLowerCase()] ?? 'supported'
    return { ok: false, message: `"${file.name}" isn't really a ${typeName} file, so ${platformName(platform)} would refuse it. You can send ${describeAllowedMedia(platform)}.` }
  }
  return checkMedia(file.type || null, file.size, platform)
}

/** For the file picker: the types the platform accepts, or "" (anything) where any file goes (the real check happens on the bytes). */
export function acceptedMimeTypes(platform: string): string {
  const rules = mediaRulesFor(platform)
  if (rules.some((rule) => rule.anyType)) return ''
  return rules.flatMap((rule) => Object.keys(rule.types)).join(',')
}

/** What the composer calls an attached file of this kind: "PDF" where only PDFs are files, else "File". */
export function attachmentLabel(kind: MediaKind, platform: string): string {
  const labels: Record<MediaKind, string> = { image: 'Photo', video: 'Video', audio: 'Audio', file: 'File' }
  if (kind !== 'file') return labels[kind]
  const fileRule = mediaRulesFor(platform).find((rule) => rule.kind === 'file')
  return fileRule && !fileRule.anyType ? Object.values(fileRule.types).join(', ') : labels.file
}
