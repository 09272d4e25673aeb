// `app://dmdesk/` serves the built renderer to the window. A page from file:// has an opaque origin and
// needs the GrantFileProtocolExtraPrivileges fuse to load its own ES modules, and everything on the disk
// shares its scheme; a page from app:// has its own origin, so 'self' in the CSP means exactly the app,
// the IPC sender check has one origin to trust, and the fuse stays off (scripts/packaging/release-fuses.ts).
import { readFile } from 'node:fs/promises'
import type { CustomScheme, Protocol } from 'electron'
import { rendererFileFor } from '../inbox/renderer-files.ts'

export const APP_SCHEME = 'app'
const APP_HOST = 'dmdesk'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
/** What the window loads. */
export const RENDERER_URL = `${APP_ORIGIN}/index.html`

/**
 * Registered before `ready`: a standard scheme has an origin and resolves relative URLs; secure, like https.
 * With V8's code cache (standard schemes only): from the second start on, the window runs the renderer's
 * code compiled last time instead of compiling it again, as Chromium does for http(s) pages. Loading the
 * renderer is most of what a cold start waits for once the core is quick (#14).
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }

const HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' }

function status(code: number): Response {
  return new Response(null, { status: code, headers: HEADERS })
}

async function serve(request: Request, rendererDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return status(405)
  const url = new URL(request.url)
  // (URL.origin is "null" for a scheme Node does not know as special, hence host and protocol.)
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return status(404)
  const file = rendererFileFor(rendererDir, url.pathname)
  if (file.kind === 'malformed') return status(400)
  if (file.kind === 'outside') return status(404)
  let body: Buffer
  try {
    body = await readFile(file.path)
  } catch {
    // Missing, a directory, or unreadable: nothing the page may have.
    return status(404)
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: { ...HEADERS, 'content-type': file.contentType } })
}

/** Call after `ready`, before the window loads RENDERER_URL; `rendererDir` is the built renderer (out/renderer). */
export function registerAppProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serve(request, rendererDir))
}
