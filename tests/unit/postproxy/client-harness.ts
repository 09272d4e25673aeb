// A client pointed at a loopback server whose waits are recorded instead of slept, so retry tests
// observe every backoff delay without spending it.
import { expect } from 'vitest'
import { PostproxyError, createPostproxyClient, type PostproxyClient, type PostproxyClientOptions, type RequestRecord } from '../../../electron/inbox/postproxy/index.ts'
import { API_KEY } from './fixtures.ts'
import type { LoopbackServer } from './loopback-server.ts'

export interface TestClient {
  client: PostproxyClient
  /** Every wait the client asked for between attempts, in order. */
  delays: number[]
  /** Every finished attempt. */
  records: RequestRecord[]
}

export function testClient(server: LoopbackServer, options: Partial<PostproxyClientOptions> = {}): TestClient {
  const delays: number[] = []
  const records: RequestRecord[] = []
  const client = createPostproxyClient({
    baseUrl: server.baseUrl,
    apiKey: API_KEY,
    // Retry tests observe the client's own waits; pacing has its own tests (request-budget.test.ts).
    requestRate: null,
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms)
    },
    onRequest: (record) => records.push(record),
    ...options
  })
  return { client, delays, records }
}

/** The rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail, but it succeeded')
}

/** The PostproxyError `promise` rejects with, failing the test if it resolves or rejects with anything else. */
export async function postproxyFailureOf(promise: Promise<unknown>): Promise<PostproxyError> {
  const error = await rejectionOf(promise)
  expect(error).toBeInstanceOf(PostproxyError)
  return error as PostproxyError
}

/** An Idempotency-Key the client made up itself: a v4 UUID. */
export const GENERATED_IDEMPOTENCY_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
