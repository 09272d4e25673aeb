// The SDK fixtures quoted in POSTPROXY.md §4, shared by every test that needs a Postproxy object.

export function profileFixture(overrides: Record<string, unknown> = {}) {
  return {
    id: 'prof_abc123',
    name: 'Studio Jane',
    platform: 'instagram',
    status: 'active',
    profile_group_id: 'pg_1',
    expires_at: null,
    avatar_url: 'https://storage.postproxy.dev/p.jpg',
    ...overrides
  }
}

export function chatFixture(overrides: Record<string, unknown> = {}) {
  return {
    id: 'chat_xyz789',
    profile_id: 'prof_abc123',
    platform: 'instagram',
    participant_external_id: 'igsid_8675309',
    participant_username: 'jane_doe',
    participant_name: 'Jane Doe',
    participant_avatar_url: 'https://storage.postproxy.dev/x.jpg',
    external_conversation_id: null,
    last_inbound_at: '2026-05-31T14:02:00.000Z',
    last_outbound_at: '2026-05-31T15:10:00.000Z',
    last_message_at: '2026-05-31T15:10:00.000Z',
    metadata: { is_verified_user: false, follower_count: 482, is_user_follow_business: true, is_business_follow_user: false },
    created_at: '2026-04-12T08:00:00.000Z',
    ...overrides
  }
}

export function messageFixture(overrides: Record<string, unknown> = {}) {
  return {
    id: 'msg_111',
    chat_id: 'chat_xyz789',
    external_id: 'mid.abc123',
    direction: 'inbound',
    body: 'Hey, do you ship internationally?',
    status: 'received',
    tag: null,
    external_comment_id: null,
    error_message: null,
    platform_data: null,
    external_posted_at: '2026-05-31T14:02:00.000Z',
    external_delivered_at: null,
    external_read_at: null,
    external_edited_at: null,
    external_deleted_at: null,
    reply_to_external_id: null,
    reactions: [{ sender_external_id: 'igsid_8675309', emoji: '❤️', reaction: 'love', at: '2026-05-31T14:04:00.000Z' }],
    attachments: [],
    is_unsupported: false,
    created_at: '2026-05-31T14:02:01.000Z',
    ...overrides
  }
}
