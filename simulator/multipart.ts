// A small multipart/form-data parser (RFC 7578 over RFC 2046) for the one upload Postproxy takes: a
// `media[]` file part next to a few text fields. It works on a body already read (and size-limited)
// into memory, and refuses anything malformed rather than guessing.

export interface MultipartPart {
  name: string
  /** As the client sent it: never used as a path. */
  filename: string | null
  contentType: string | null
  data: Buffer
}

export class MultipartError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MultipartError'
  }
}

export interface MultipartLimits {
  maxParts: number
  maxHeaderBytes: number
}

const DEFAULT_LIMITS: MultipartLimits = { maxParts: 64, maxHeaderBytes: 8 * 1024 }
const CRLF = Buffer.from('\r\n')

/** The `boundary` parameter of a multipart Content-Type, or null when it is missing or invalid. */
export function boundaryFromContentType(contentType: string): string | null {
  const params = parseHeaderParams(contentType)
  const boundary = params.get('boundary')
  // RFC 2046: 1 to 70 characters, not ending in a space.
  if (!boundary || boundary.length > 70 || boundary.endsWith(' ')) return null
  return boundary
}

export function parseMultipart(body: Buffer, boundary: string, limits: MultipartLimits = DEFAULT_LIMITS): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`)
  const partSeparator = Buffer.concat([CRLF, delimiter])
  let cursor = body.indexOf(delimiter)
  if (cursor === -1 || (cursor > 0 && !precededByCrlf(body, cursor))) {
    throw new MultipartError('The multipart body does not contain its boundary.')
  }
  const parts: MultipartPart[] = []
  for (;;) {
    cursor += delimiter.length
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) return parts // "--": the closing delimiter
    cursor = skipTransportPadding(body, cursor)
    if (!startsWithAt(body, CRLF, cursor)) throw new MultipartError('A multipart boundary is not followed by a line break.')
    cursor += CRLF.length
    if (parts.length >= limits.maxParts) throw new MultipartError(`The multipart body has more than ${limits.maxParts} parts.`)

    let headerText = ''
    let contentStart: number
    if (startsWithAt(body, CRLF, cursor)) {
      contentStart = cursor + CRLF.length // a part without headers
    } else {
      const headersEnd = body.indexOf('\r\n\r\n', cursor)
      if (headersEnd === -1 || headersEnd - cursor > limits.maxHeaderBytes) {
        throw new MultipartError('A multipart part has missing or oversized headers.')
      }
      headerText = body.subarray(cursor, headersEnd).toString('utf8')
      contentStart = headersEnd + 4
    }
    const contentEnd = body.indexOf(partSeparator, contentStart)
    if (contentEnd === -1) throw new MultipartError('The multipart body ends before its closing boundary.')
    parts.push(partFrom(headerText, body.subarray(contentStart, contentEnd)))
    cursor = contentEnd + CRLF.length
  }
}

function partFrom(headerText: string, data: Buffer): MultipartPart {
  let disposition: Map<string, string> | null = null
  let contentType: string | null = null
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon <= 0) throw new MultipartError('A multipart part has a malformed header line.')
    const headerName = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (headerName === 'content-disposition') {
      if (value.split(';')[0].trim().toLowerCase() !== 'form-data') {
        throw new MultipartError('A multipart part is not form-data.')
      }
      disposition = parseHeaderParams(value)
    } else if (headerName === 'content-type') {
      contentType = value
    }
  }
  const name = disposition?.get('name')
  if (name === undefined) throw new MultipartError('A multipart part has no field name.')
  const filename = disposition?.get('filename*') ?? disposition?.get('filename') ?? null
  return { name, filename, contentType, data }
}

/**
 * `key=value` parameters after the first `;` of a header value. Values may be quoted (with
 * backslash escapes, and `;` inside quotes); `filename*=UTF-8''…` is percent-decoded (RFC 5987).
 */
function parseHeaderParams(headerValue: string): Map<string, string> {
  const params = new Map<string, string>()
  let i = headerValue.indexOf(';')
  if (i === -1) return params
  i++
  while (i < headerValue.length) {
    while (headerValue[i] === ' ' || headerValue[i] === '\t' || headerValue[i] === ';') i++
    const equals = headerValue.indexOf('=', i)
    if (equals === -1) break
    const key = headerValue.slice(i, equals).trim().toLowerCase()
    i = equals + 1
    let value = ''
    if (headerValue[i] === '"') {
      i++
      while (i < headerValue.length && headerValue[i] !== '"') {
        if (headerValue[i] === '\\' && i + 1 < headerValue.length) i++
        value += headerValue[i]
        i++
      }
      i++ // the closing quote
      const nextSemicolon = headerValue.indexOf(';', i)
      i = nextSemicolon === -1 ? headerValue.length : nextSemicolon
    } else {
      const nextSemicolon = headerValue.indexOf(';', i)
      const end = nextSemicolon === -1 ? headerValue.length : nextSemicolon
      value = headerValue.slice(i, end).trim()
      i = end
    }
    if (key === 'filename*') value = decodeExtendedValue(value)
    if (key && !params.has(key)) params.set(key, value)
  }
  return params
}

function decodeExtendedValue(value: string): string {
  const match = /^([^']*)'[^']*'(.*)$/.exec(value)
  if (!match) return value
  try {
    return decodeURIComponent(match[2])
  } catch {
    return match[2]
  }
}

function precededByCrlf(body: Buffer, index: number): boolean {
  return index >= 2 && body[index - 2] === 0x0d && body[index - 1] === 0x0a
}

function startsWithAt(body: Buffer, needle: Buffer, index: number): boolean {
  if (index + needle.length > body.length) return false
  for (let i = 0; i < needle.length; i++) if (body[index + i] !== needle[i]) return false
  return true
}

function skipTransportPadding(body: Buffer, index: number): number {
  while (body[index] === 0x20 || body[index] === 0x09) index++
  return index
}
