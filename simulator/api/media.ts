// GET /media/<id>: media the simulator hosts (uploads, mirrored inbound media), as Postproxy serves
// mirrored media at a stable public URL: no key needed. The id is the only input; it is looked up,
// never joined into a path, and the stored (sniffed) type is served with `nosniff`.
import type { SimState } from '../state.ts'

export interface MediaResponse {
  headers: Record<string, string>
  bytes: Buffer
}

const MEDIA_ID = /^[A-Za-z0-9_-]{1,100}$/

export function mediaResponse(state: SimState, mediaId: string): MediaResponse | null {
  if (!MEDIA_ID.test(mediaId)) return null
  const media = state.media(mediaId)
  if (!media) return null
  const headers: Record<string, string> = {
    'content-type': media.mime,
    'content-length': String(media.bytes.length),
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox"
  }
  if (media.filename) headers['content-disposition'] = `inline; filename*=UTF-8''${encodeURIComponent(media.filename)}`
  return { headers, bytes: media.bytes }
}
