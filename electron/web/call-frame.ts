// The check of each call frame the page sends (shared/bridge-protocol.ts): anything else closes the socket.
import { z } from 'zod'
import type { CallFrame } from '../../shared/bridge-protocol.ts'

export const CallFrameSchema: z.ZodType<CallFrame> = z.object({
  type: z.literal('call'),
  id: z.number().int().nonnegative(),
  name: z.string().max(100),
  args: z.unknown().optional()
})
