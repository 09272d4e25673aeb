// Instagram's ice breakers (POSTPROXY.md §9): the FAQ prompts someone sees when they open a chat with
// the business for the first time. GET /api/profiles/:id/ice_breakers (`{ice_breakers: []}` when none
// are set); PUT replaces them (1–4, checked by shared/interactive-rules.ts); DELETE removes them.
// Instagram only: elsewhere 422 naming the platform.
//
// §9 documents PUT; the SDKs (1.11+) send POST to the same path and read `{success: true}`, so POST is
// accepted as PUT, and both writes answer `{success: true, ice_breakers: [...]}` for either reader.
import { checkIceBreakers } from '../../shared/interactive-rules.ts'
import { unprocessable } from '../http-errors.ts'
import { requireConnected } from '../profile-connections.ts'
import type { Route, RouteContext } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { fieldsOf } from './params.ts'
import { requirePlatform, scopedProfile } from './scope.ts'

const PATH = '/api/profiles/:id/ice_breakers'

export function iceBreakerRoutes({ state }: ApiDeps): Route[] {
  const instagramProfile = (context: RouteContext) => {
    const profile = scopedProfile(state, context, context.params.id)
    requirePlatform(profile, ['instagram'], 'Managing ice breakers')
    return profile
  }

  const replace = (context: RouteContext) => {
    const profile = instagramProfile(context)
    requireConnected(profile, 'change its ice breakers')
    const check = checkIceBreakers(fieldsOf(context.body).ice_breakers)
    if (!check.ok) throw unprocessable(check.errors)
    state.setIceBreakers(context.account, profile.id, check.value)
    return { status: 200, body: { success: true, ice_breakers: check.value } }
  }

  return [
    {
      method: 'GET',
      path: PATH,
      handle: (context) => ({ status: 200, body: { ice_breakers: state.iceBreakers(instagramProfile(context).id) } })
    },
    { method: 'PUT', path: PATH, handle: replace },
    { method: 'POST', path: PATH, handle: replace },
    {
      method: 'DELETE',
      path: PATH,
      handle: (context) => {
        const profile = instagramProfile(context)
        requireConnected(profile, 'change its ice breakers')
        state.setIceBreakers(context.account, profile.id, null)
        return { status: 200, body: { success: true, ice_breakers: [] } }
      }
    }
  ]
}
