// Which request headers of a webhook travel to the desktop. They are kept as ordered [name, value]
// pairs (names lower-cased, values untouched, repeats kept), minus the hop-by-hop headers that describe
// the connection to the relay rather than the webhook (RFC 9110 §7.6.1) and `host`, which names the relay.

const ALWAYS_DROPPED = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host'])

export type HeaderPairs = Array<[string, string]>

/** `rawHeaders` is Node's flat [name, value, name, value, …] list, in the order they were received. */
export function forwardedHeaders(rawHeaders: readonly string[]): HeaderPairs {
  const pairs: HeaderPairs = []
  // A sender may also name extra hop-by-hop headers in `Connection: close, x-hop`; those go too.
  let namedByConnection: Set<string> | null = null
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase()
    if (name === 'connection') {
      namedByConnection ??= new Set()
      for (const token of rawHeaders[i + 1].split(',')) {
        const named = token.trim().toLowerCase()
        if (named.length > 0) namedByConnection.add(named)
      }
    }
    if (!ALWAYS_DROPPED.has(name) && !name.startsWith('proxy-')) pairs.push([name, rawHeaders[i + 1]])
  }
  // One pass over the headers; a second, only when a Connection header named some.
  return namedByConnection === null ? pairs : pairs.filter(([name]) => !namedByConnection.has(name))
}
