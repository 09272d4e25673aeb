// A client pointed at a loopback server whose waits are recorded instead of slept, so retry tests
// observe every backoff delay without spending it.
import { createPostproxyClient, type PostproxyClient, type PostproxyClientOptions, type RequestRecord } from '../../../electron/inbox/postproxy/index.ts'
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
