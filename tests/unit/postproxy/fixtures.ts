// Payloads in the exact shapes of POSTPROXY.md §4 (taken from the SDK fixtures quoted there).

export const API_KEY = 'pp_live_SECRET_4f9a1c2b7d'

import { chatFixture, commentFixture, messageFixture, postFixture, profileFixture } from '../../support/postproxy-fixtures.ts'

export { chatFixture, commentFixture, messageFixture, postFixture, profileFixture }

export function pendingOutboundFixture(overrides: Record<string, unknown> = {}) {
  return messageFixture({
    id: 'msg_222',
    external_id: null,
    direction: 'outbound',
    body: 'Yes, worldwide!',
    status: 'pending',
    external_posted_at: null,
    reactions: [],
    created_at: '2026-05-31T15:10:00.000Z',
    ...overrides
  })
}

export function webhookFixture(overrides: Record<string, unknown> = {}) {
  return {
    id: 'wh_1',
    url: 'https://relay.example/h/tok',
    events: ['message.received', 'message.sent'],
    description: 'dmdesk relay',
    enabled: true,
    secret: 'whsec_abc',
    created_at: '2026-05-01T00:00:00.000Z',
    ...overrides
  }
}

export function deliveryFixture(overrides: Record<string, unknown> = {}) {
  return {
    id: 'dlv_1',
    event_id: 'evt_1',
    event_type: 'message.received',
    response_status: 200,
    attempt_number: 1,
    success: true,
    attempted_at: '2026-05-31T14:02:02.000Z',
    ...overrides
  }
}

export function page<T>(data: T[], pageNumber = 0, perPage = 20, total = data.length) {
  return { total, page: pageNumber, per_page: perPage, data }
}
