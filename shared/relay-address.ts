// Which relay addresses dmdesk pairs with (issue #12.6). The admin token, this computer's device token and
// every direct message cross the connection to the relay, so it must be https — except to this very
// computer (a relay run locally, the demo's), where nothing crosses a network. Shared so the InboxApi
// argument schema and the core's pairing refuse the same addresses with the same words.

/** 127.0.0.0/8, ::1 and `localhost`, as the WHATWG URL parser leaves a hostname (`127.1` is 127.0.0.1 by then). */
export function isLoopbackHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  if (host === 'localhost' || host === '[::1]') return true
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

export const RELAY_ADDRESS_EXAMPLE = 'https://relay.example.com'

/** Why `value` cannot be a relay address, in words for the creator; null when it can. */
export function relayAddressProblem(value: string): string | null {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    return `"${value}" is not a web address. It should look like ${RELAY_ADDRESS_EXAMPLE}.`
  }
  // It would be repeated in messages and logs; the relay authenticates with the admin token instead.
  if (url.username !== '' || url.password !== '') return 'The relay address must not contain a user name or password.'
  if (url.protocol === 'https:') return null
  if (url.protocol === 'http:') {
    if (isLoopbackHostname(url.hostname)) return null
    return (
      `The relay address must start with https:// — over http:// the admin token, this computer's pass and every ` +
      `message would cross the network unencrypted. (http:// is accepted only for a relay on this computer: ` +
      `localhost, 127.0.0.1 or [::1].)`
    )
  }
  return `The relay address must start with https:// (got "${url.protocol}").`
}
