// /api/webhooks: thin handlers over the webhook dispatcher, which validates and stores.
import { WebhookInputError, type WebhookInput } from '../contracts.ts'
import { notFound, unprocessable } from '../http-errors.ts'
import type { Route } from '../router.ts'
import type { ApiDeps } from './deps.ts'
import { fieldsOf, pagination } from './params.ts'

/** The dispatcher's validation errors become Postproxy's 422 shape. */
function validated<T>(work: () => T): T {
  try {
    return work()
  } catch (error) {
    if (error instanceof WebhookInputError) throw unprocessable(error.errors)
    throw error
  }
}

/** Only the fields a webhook has; the dispatcher judges their values. */
function webhookFields(fields: Record<string, unknown>): Partial<WebhookInput> {
  const input: Record<string, unknown> = {}
  for (const key of ['url', 'events', 'description', 'enabled']) if (key in fields) input[key] = fields[key]
  return input as Partial<WebhookInput>
}

export function webhookRoutes({ webhooks }: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/webhooks',
      handle: (context) => ({ status: 200, body: { data: webhooks.list(context.account) } })
    },
    {
      method: 'POST',
      path: '/api/webhooks',
      handle: (context) => {
        const input = webhookFields(fieldsOf(context.body)) as WebhookInput
        return { status: 201, body: validated(() => webhooks.create(context.account, input)) }
      }
    },
    {
      method: 'GET',
      path: '/api/webhooks/:id',
      handle: (context) => {
        const webhook = webhooks.get(context.account, context.params.id)
        if (!webhook) throw notFound()
        return { status: 200, body: webhook }
      }
    },
    {
      method: 'PATCH',
      path: '/api/webhooks/:id',
      handle: (context) => {
        const patch = webhookFields(fieldsOf(context.body))
        const webhook = validated(() => webhooks.update(context.account, context.params.id, patch))
        if (!webhook) throw notFound()
        return { status: 200, body: webhook }
      }
    },
    {
      method: 'DELETE',
      path: '/api/webhooks/:id',
      handle: (context) => {
        if (!webhooks.remove(context.account, context.params.id)) throw notFound()
        return { status: 200, body: { deleted: true } }
      }
    },
    {
      method: 'GET',
      path: '/api/webhooks/:id/deliveries',
      handle: (context) => {
        const { page, perPage } = pagination(context.query)
        const deliveries = webhooks.deliveries(context.account, context.params.id, page, perPage)
        if (!deliveries) throw notFound()
        return { status: 200, body: deliveries }
      }
    }
  ]
}
