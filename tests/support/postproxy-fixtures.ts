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

// Contract v2 objects (POSTPROXY.md §9), in our own words.

export function postFixture(overrides: Record<string, unknown> = {}) {
  return {
    id: 'post_k3x9',
    body: 'Spring drop is live: linen shirts in four colours.',
    status: 'processed',
    scheduled_at: null,
    created_at: '2026-05-20T09:00:00.000Z',
    media: [{ id: 'med_1', url: 'https://storage.postproxy.dev/post.jpg', content_type: 'image/jpeg', status: 'processed' }],
    platforms: [
      { platform: 'instagram', status: 'published', params: { format: 'post' }, permalink: 'https://www.instagram.com/p/Cx1y2z3/' }
    ],
    ...overrides
  }
}

export function commentFixture(overrides: Record<string, unknown> = {}) {
  return {
    id: 'cmt_q7w8',
    external_id: '18012345678901234',
    body: 'Does the sage one come in XS?',
    status: 'synced',
    author_username: 'mila.knits',
    author_avatar_url: null,
    author_external_id: 'igsid_5550101',
    metadata: null,
    parent_external_id: null,
    like_count: 2,
    is_hidden: false,
    permalink: 'https://www.instagram.com/p/Cx1y2z3/c/18012345678901234/',
    platform_data: null,
    attachments: [],
    posted_at: '2026-05-30T18:12:00.000Z',
    created_at: '2026-05-30T18:12:04.000Z',
    ...overrides
  }
}

export function commentCreatedFixture(overrides: Record<string, unknown> = {}) {
  return {
    id: 'cmt_q7w8',
    post_id: 'post_k3x9',
    platform_post_id: '17999999999999999',
    platform: 'instagram',
    external_id: '18012345678901234',
    parent_external_id: null,
    body: 'Does the sage one come in XS?',
    status: 'synced',
    author_external_id: 'igsid_5550101',
    author_name: 'Mila',
    author_username: 'mila.knits',
    author_avatar_url: null,
    like_count: 0,
    reply_count: 0,
    is_hidden: false,
    permalink: 'https://www.instagram.com/p/Cx1y2z3/c/18012345678901234/',
    platform_data: null,
    posted_at: '2026-05-30T18:12:00.000Z',
    created_at: '2026-05-30T18:12:04.000Z',
    ...overrides
  }
}
