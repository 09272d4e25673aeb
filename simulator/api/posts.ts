// Posts (POSTPROXY.md §9): GET /api/posts (the profile group's posts, newest first, paginated,
// `platforms`, `status` and `scheduled_after` filters) and GET /api/posts/:id. The simulator's
// posts are what the scenario (or the control API) published; they are here so comments have
// something to be on.
import type { Route } from '../router.ts'
import { postRecord, PROCESSED } from '../post-records.ts'
import type { ApiDeps } from './deps.ts'
import { listParam, pagination, timestampParam } from './params.ts'
import { scopedPost, visibleProfiles } from './scope.ts'

export function postRoutes({ state }: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/posts',
      handle: (context) => {
        const { page, perPage } = pagination(context.query)
        const profileIds = visibleProfiles(state, context).map((profile) => profile.id)
        const platforms = listParam(context.query, 'platforms')
        const status = context.query.get('status')
        const scheduledAfter = timestampParam(context.query, 'scheduled_after')
        // Every simulated post went out at once: it is `processed` and was never scheduled, so
        // another status, or "scheduled after", finds none.
        if ((status !== null && status !== '' && status !== PROCESSED) || scheduledAfter !== null) {
          return { status: 200, body: { total: 0, page, per_page: perPage, data: [] } }
        }
        const found = state.posts.postPage({ profileIds, platforms, page, perPage })
        return { status: 200, body: { ...found, data: found.data.map(postRecord) } }
      }
    },
    {
      method: 'GET',
      path: '/api/posts/:id',
      handle: (context) => ({ status: 200, body: postRecord(scopedPost(state, context, context.params.id).post) })
    }
  ]
}
