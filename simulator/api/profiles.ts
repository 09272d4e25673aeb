// GET /api/profiles and /api/profiles/:id.
import type { Route } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { scopedProfile, visibleProfiles } from './scope.ts'

export function profileRoutes({ state }: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/profiles',
      handle: (context) => ({ status: 200, body: { data: visibleProfiles(state, context) } })
    },
    {
      method: 'GET',
      path: '/api/profiles/:id',
      handle: (context) => ({ status: 200, body: scopedProfile(state, context, context.params.id) })
    }
  ]
}
