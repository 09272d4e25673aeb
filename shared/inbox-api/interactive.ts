// Interactive DMs beyond a single send (POSTPROXY.md §9): the ice breakers of the creator's Instagram
// profile, the FAQ prompts Instagram shows someone opening a chat with the business for the first time.
// Sending quick replies, buttons and replies to a message is `sendText` (shared/inbox-api/core.ts).
import { z } from 'zod'
import type { IceBreaker } from '../postproxy-interactive.ts'
import type { InboxResult } from './results.ts'

export interface IceBreakerSettings {
  /** Whether the selected profile's platform has ice breakers (Instagram only). */
  supported: boolean
  /** The selected profile's platform, for explaining when it has none. */
  platform: string
  /** As Postproxy keeps them; empty when none are set (or unsupported). */
  iceBreakers: IceBreaker[]
}

// Generous bounds only: the rules (1–4, ≤ 80 characters) are `checkIceBreakers`, whose words the creator reads.
const IceBreakerArg = z.object({ question: z.string().max(4000), payload: z.string().max(4000) })

export const INTERACTIVE_API_ARGS = {
  getIceBreakers: z.undefined(),
  saveIceBreakers: z.object({ iceBreakers: z.array(IceBreakerArg).max(100) }),
  deleteIceBreakers: z.undefined()
} as const satisfies Record<string, z.ZodType>

type Input<K extends keyof typeof INTERACTIVE_API_ARGS> = z.input<(typeof INTERACTIVE_API_ARGS)[K]>

export interface InteractiveInboxApi {
  /** Loads them from Postproxy (they live on the profile, not in the local cache). */
  getIceBreakers(): Promise<InboxResult<IceBreakerSettings>>
  /** Checked with `checkIceBreakers` first; replaces all of them. */
  saveIceBreakers(args: Input<'saveIceBreakers'>): Promise<InboxResult<IceBreakerSettings>>
  deleteIceBreakers(): Promise<InboxResult<IceBreakerSettings>>
}
