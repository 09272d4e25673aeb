// One delivery attempt over HTTP. Postproxy counts a 2xx as delivered; any other status, a network
// error, or no response within the timeout is a failure (POSTPROXY.md §6). Redirects are not followed:
// a 3xx is a non-2xx answer.

export interface DeliveryRequest {
  url: string
  headers: Record<string, string>
  body: Uint8Array
  timeoutMs: number
  /** Aborted when the dispatcher closes. */
  cancel: AbortSignal
}

export type DeliveryOutcome =
  | { kind: 'answered'; status: number; success: boolean }
  | { kind: 'unreachable' }
  | { kind: 'timed_out' }
  | { kind: 'cancelled' }

export async function postDelivery(request: DeliveryRequest): Promise<DeliveryOutcome> {
  const timeout = AbortSignal.timeout(request.timeoutMs)
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.any([timeout, request.cancel])
    })
    // Only the status matters; dropping the body frees the connection without waiting for it.
    await response.body?.cancel().catch(() => {})
    return { kind: 'answered', status: response.status, success: response.status >= 200 && response.status < 300 }
  } catch {
    if (request.cancel.aborted) return { kind: 'cancelled' }
    if (timeout.aborted) return { kind: 'timed_out' }
    return { kind: 'unreachable' }
  }
}
