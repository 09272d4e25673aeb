// The Postproxy client's public surface. Nothing here imports `electron`: it runs under plain Node.
export {
  PostproxyClient,
  createPostproxyClient,
  type PostproxyClientOptions,
  type CallOptions,
  type WriteOptions,
  type PageOptions,
  type ListChatsOptions,
  type ListMessagesOptions,
  type ChatParticipant,
  type SendMessageOptions,
  type EditMessageInput,
  type ListPostsOptions,
  type CommentWindow,
  type ListPostCommentsOptions,
  type ListCommentsOptions,
  type CreateCommentOptions,
  type WebhookInput,
  type WebhookPatch
} from './client.ts'
export { type MediaFile, type MediaItem, type MessageContent, type MessageExtras } from './message-send.ts'
export { DeleteResultSchema, CommentActionResultSchema, type DeleteResult, type CommentActionResult } from './acknowledgements.ts'
export type { RequestRecord, RetryNotice, PostproxyTransportOptions, HttpMethod } from './transport.ts'
export {
  PostproxyError,
  isPostproxyError,
  POSTPROXY_ERROR_KINDS,
  type PostproxyErrorKind,
  type PostproxyErrorInit
} from './errors.ts'
export { DEFAULT_BACKOFF, type BackoffOptions } from './retry-policy.ts'
export { RequestBudget, type RequestBudgetLoad, type RequestPriority } from './request-budget.ts'
export { POSTPROXY_ASSUMED_RATE, type RequestRate } from './request-rate.ts'
export {
  verifyPostproxySignature,
  parseSignatureHeader,
  computePostproxySignature,
  postproxySignatureHeader,
  DEFAULT_SIGNATURE_TOLERANCE_SEC,
  type VerifySignatureInput,
  type VerifySignatureResult,
  type SignatureFailureReason,
  type ParsedSignatureHeader
} from './signature.ts'
