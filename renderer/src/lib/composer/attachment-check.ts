// A picked, dropped or pasted file is checked by its real type (magic bytes, not its name) and size
// before anything leaves the machine, with Meta's limits from shared/media-rules.ts.
import { checkMedia, describeAllowedMedia, MEDIA_RULES, mediaRuleFor, sniffMediaType, type MediaKind } from '../../../../shared/media-rules.ts'

/** Enough leading bytes for every signature sniffMediaType knows. */
const HEAD_BYTES = 64

export type AttachmentCheck = { ok: true; kind: MediaKind; mime: string } | { ok: false; message: string }

export async function checkAttachment(file: File): Promise<AttachmentCheck> {
  let head: Uint8Array
  try {
    head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer())
  } catch {
    return { ok: false, message: `dmdesk couldn't read "${file.name}". Check that the file still exists and try again.` }
  }
  const sniffed = sniffMediaType(head)
  if (sniffed) return checkMedia(sniffed, file.size)
  if (file.type && mediaRuleFor(file.type)) {
    // Named like an accepted type, but its bytes say otherwise: Instagram would refuse it too.
    return { ok: false, message: `"${file.name}" isn't really a ${mediaRuleFor(file.type)!.types[file.type.toLowerCase()] ?? 'supported'} file, so Instagram would refuse it. You can send ${describeAllowedMedia()}.` }
  }
  return checkMedia(file.type || null, file.size)
}

/** For the file picker: the types Instagram accepts (the real check happens on the bytes). */
export const ACCEPTED_MIME_TYPES = MEDIA_RULES.flatMap((rule) => Object.keys(rule.types)).join(',')
