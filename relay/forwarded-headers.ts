// Which request headers of a webhook travel to the desktop. They are kept as ordered [name, value]
// pairs (names lower-cased, values untouched, repeats kept), minus the hop-by-hop headers that describe
// the connection to the relay rather than the webhook (RFC 9110 §7.6.1) and `host`, which names the relay.

const ALWAYS_DROPPED = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host'])

export type HeaderPairs = Array<[string, string]>

/** `rawHeaders` is Node's flat [name, value, name, value, …] list, in the order they were received. */
export function forwardedHeaders(rawHeaders: readonly string[]): HeaderPairs {
  const pairs: HeaderPairs = []
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i].toLowerCase(), rawHeaders[i + 1]])
  // A sender may also name extra hop-by-hop headers in `Connection: close, x-hop`; those go too.
  const namedByConnection = new Set(
    pairs
      .filter(([name]) => name === 'connection')
      .flatMap(([, value]) => value.split(','))
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token.length > 0)
  )
  return pairs.filter(([name]) => !ALWAYS_DROPPED.has(name) && !name.startsWith('proxy-') && !namedByConnection.has(name))
}
