// `dmdesk-media://attachment/<id>` serves attachments from the core's media cache, so the sandboxed
// renderer shows images offline without ever touching the network.
import { pathToFileURL } from 'node:url'
import type { Net, Protocol } from 'electron'

export const MEDIA_SCHEME = 'dmdesk-media'

export function mediaUrl(attachmentId: string): string {
  return `${MEDIA_SCHEME}://attachment/${encodeURIComponent(attachmentId)}`
}

export function attachmentIdOf(requestUrl: string): string | null {
  const url = new URL(requestUrl)
  if (url.protocol !== `${MEDIA_SCHEME}:` || url.hostname !== 'attachment') return null
  const id = decodeURIComponent(url.pathname.replace(/^\//, ''))
  return id && !id.includes('/') ? id : null
}

export function registerMediaProtocol(
  protocol: Protocol,
  net: Net,
  mediaFile: (attachmentId: string) => Promise<{ path: string; mime: string | null } | null>
): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const id = attachmentIdOf(request.url)
    const file = id ? await mediaFile(id) : null
    if (!file) return new Response(null, { status: 404 })
    const response = await net.fetch(pathToFileURL(file.path).toString())
    const headers = new Headers(response.headers)
    headers.set('content-type', file.mime ?? 'application/octet-stream')
    headers.set('x-content-type-options', 'nosniff')
    return new Response(response.body, { status: 200, headers })
  })
}
