// The media cache: downloads attachments into a local, size-bounded, content-addressed folder so cached
// threads show their media offline. See media-cache.ts.
export { MediaCache, DEFAULT_MAX_CACHE_BYTES, DEFAULT_MAX_FILE_BYTES } from './media-cache.ts'
export type { EnsureOptions, MediaAttachment, MediaCacheOptions, SweepReport } from './media-cache.ts'
export type { CachedMedia, MediaFailure, MediaFailureReason, MediaResult } from './media-result.ts'
export type { QueuePriority } from './download-queue.ts'
export { OPAQUE_MIME } from './served-mime.ts'
export { findMedia } from './media-lookup.ts'
export { storyReplyMedia, storyReplyMediaId } from './story-reply-media.ts'
