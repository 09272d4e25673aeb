// `dmdesk-media://attachment/<id>` serves attachments from the core's media cache, so the sandboxed
// renderer shows images offline without ever touching the network.
import { pathToFileURL } from 'node:url'
import type { Net, Protocol } from 'electron'

export const MEDIA_SCHEME = 'dmdesk-media'

export function mediaUrl(attachmentId: string): string {
  return `${MEDIA_SCHEME}://attachment/${encodeURIComponent(attachmentId)}`
}

/** The attachment a media URL names; null for anything else, a malformed escape included. */
export function attachmentIdOf(requestUrl: string): string | null {
  let url: URL
  let id: string
  try {
    url = new URL(requestUrl)
    id = decodeURIComponent(url.pathname.replace(/^\//, ''))
  } catch {
    return null
  }
  if (url.protocol !== `${MEDIA_SCHEME}:` || url.hostname !== 'attachment') return null
  return id && !id.includes('/') ? id : null
}

export function registerMediaProtocol(
  protocol: Protocol,
  net: Net,
  mediaFile: (attachmentId: string) => Promise<{ path: string; mime: string | null } | null>
): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const id = attachmentIdOf(request.url)
    if (!id) return new Response(null, { status: 400 })
    const file = await mediaFile(id)
    if (!file) return new Response(null, { status: 404 })
    const response = await net.fetch(pathToFileURL(file.path).toString())
    const headers = new Headers(response.headers)
    headers.set('content-type', file.mime ?? 'application/octet-stream')
    headers.set('x-content-type-options', 'nosniff')
    return new Response(response.body, { status: 200, headers })
  })
}
