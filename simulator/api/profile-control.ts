// Control API (not Postproxy's): profiles whose connection changes at run time, with the webhooks
// Postproxy sends for it (profile-connections.ts). Documented with examples in simulator/README.md.
//   POST /_sim/profiles                    {platform, name?, username?, profile_group_id?}  a profile is connected: 201 Profile
//   POST /_sim/profiles/:id/expire         {at?}   its token ran out: status expired, expires_at
//   POST /_sim/profiles/:id/disconnect             the connection was removed: status inactive
//   POST /_sim/profiles/:id/reconnect              connected again: status active
import { unprocessable } from '../http-errors.ts'
import type { Route } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { fieldsOf, optionalString } from './params.ts'

export function profileControlRoutes({ profileConnections }: ApiDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/_sim/profiles',
      handle: (context) => {
        const fields = fieldsOf(context.body)
        const platform = optionalString(fields, 'platform')
        if (!platform) throw unprocessable(["Platform can't be blank: name the network the profile is on, such as facebook."])
        const profile = profileConnections.add(context.account, {
          platform,
          name: optionalString(fields, 'name'),
          username: optionalString(fields, 'username'),
          profile_group_id: optionalString(fields, 'profile_group_id')
        })
        return { status: 201, body: profile }
      }
    },
    {
      method: 'POST',
      path: '/_sim/profiles/:id/expire',
      handle: (context) => ({
        status: 200,
        body: profileConnections.expire(context.account, context.params.id, optionalString(fieldsOf(context.body), 'at'))
      })
    },
    {
      method: 'POST',
      path: '/_sim/profiles/:id/disconnect',
      handle: (context) => ({ status: 200, body: profileConnections.disconnect(context.account, context.params.id) })
    },
    {
      method: 'POST',
      path: '/_sim/profiles/:id/reconnect',
      handle: (context) => ({ status: 200, body: profileConnections.reconnect(context.account, context.params.id) })
    }
  ]
}
