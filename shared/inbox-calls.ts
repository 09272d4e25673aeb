// The names of the InboxApi calls, free of any dependency: the sandboxed preload builds its bridge
// from this list (it cannot load zod), and shared/inbox-api.ts checks its schemas against it.
export const INBOX_CALL_NAMES = [
  'getSession',
  'signIn',
  'startDemo',
  'selectProfile',
  'addApiKey',
  'removeApiKey',
  'signOut',
  'listChats',
  'search',
  'getThread',
  'sendText',
  'sendMedia',
  'retrySend',
  'discardSend',
  'toggleLove',
  'markRead',
  'markUnread',
  'getDraft',
  'saveDraft',
  'getStatus',
  'syncNow',
  'getSettings',
  'updateSettings',
  'viewChat',
  'listShown',
  'pairRelay',
  'unpairRelay',
  'getIceBreakers',
  'saveIceBreakers',
  'deleteIceBreakers',
  // comments and private replies (shared/inbox-api/comments.ts)
  'listComments',
  'getCommentThread',
  'commentsOfChat',
  'getCommentCounts',
  'markCommentsSeen',
  'viewComments',
  'privateReply',
  'replyToComment',
  'setCommentHidden',
  'setCommentLiked',
  'retryCommentAction',
  'discardCommentAction',
  'searchComments',
  'startChat',
  // triage
  'triageChats',
  'undoTriage',
  'listLabels',
  'createLabel',
  'updateLabel',
  'deleteLabel',
  'reorderLabels',
  // saved replies
  'listSavedReplies',
  'createSavedReply',
  'updateSavedReply',
  'deleteSavedReply',
  'reorderSavedReplies',
  'exportSavedReplies',
  'importSavedReplies'
] as const

export type InboxCallName = (typeof INBOX_CALL_NAMES)[number]

/** The IPC channels between the preload and the main process. */
export const IPC_CALL_CHANNEL = 'inbox:call'
export const IPC_EVENT_CHANNEL = 'inbox:event'
/** A file the creator dropped or picked, by the path the preload resolved for it (never from the page). */
export const IPC_SEND_FILE_CHANNEL = 'inbox:send-file'
