// Which file of the built renderer (out/renderer) a URL path names, for the two places that serve it:
// Electron's app:// protocol and web mode's loopback server. One rule for both: the path is decoded once
// (a malformed escape is the client's error, not ours), and nothing outside the renderer directory is
// ever named, whatever `..`, encoded slashes or drive letters the path carries.
import { extname, join, normalize, resolve, sep } from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

export const RENDERER_INDEX = 'index.html'

export type RendererFileLookup =
  /** A path inside the renderer directory (it may not exist), with the type to serve it as. */
  | { kind: 'inside'; path: string; contentType: string }
  /** The path escapes the renderer directory. */
  | { kind: 'outside' }
  /** The path is not valid percent-encoding (or holds a NUL byte): answer 400. */
  | { kind: 'malformed' }

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/** `urlPathname` is the still-encoded path of the request URL; `/` names index.html. */
export function rendererFileFor(rendererDir: string, urlPathname: string): RendererFileLookup {
  const root = resolve(rendererDir)
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPathname)
  } catch {
    return { kind: 'malformed' }
  }
  if (decoded.includes('\0')) return { kind: 'malformed' }
  const relative = normalize(decoded).replace(/^([/\\])+/, '') || RENDERER_INDEX
  const path = join(root, relative)
  if (!path.startsWith(root + sep)) return { kind: 'outside' }
  return { kind: 'inside', path, contentType: contentTypeOf(path) }
}
