// The type a cached file is served to the renderer with. The bytes come from the internet and are served
// from the app's own origin, so a declared `text/html` or `image/svg+xml` must never reach the renderer as
// such (it could run script in the app). The real type from the magic bytes wins; a declared type is
// trusted only when it is a plain media type; anything else is served as an opaque download.
import { sniffMediaType } from '../../../shared/media-rules.ts'

export const OPAQUE_MIME = 'application/octet-stream'

/** How many leading bytes `servedMime` wants to see. */
export const SNIFF_BYTES = 64

export function servedMime(head: Uint8Array, declaredContentType: string | null): string {
  const sniffed = sniffMediaType(head)
  if (sniffed) return sniffed
  const declared = declaredContentType?.split(';')[0].trim().toLowerCase() ?? ''
  return isInertMediaType(declared) ? declared : OPAQUE_MIME
}

/** Media types a browser renders without running anything (SVG is a document that can hold script). */
function isInertMediaType(mime: string): boolean {
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mime)) return false
  if (mime === 'image/svg+xml') return false
  return mime.startsWith('image/') || mime.startsWith('video/') || mime.startsWith('audio/') || mime === 'application/pdf'
}
