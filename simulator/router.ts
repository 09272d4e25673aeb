// Routes: a method, a path pattern with `:params`, and a handler that returns (or throws) a response.
import type { IncomingMessage } from 'node:http'
import type { RequestBody } from './body.ts'
import type { AccountId } from './contracts.ts'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RouteContext {
  account: AccountId
  params: Record<string, string>
  query: URLSearchParams
  body: RequestBody
  request: IncomingMessage
}

export interface RouteResult {
  status: number
  body: unknown
}

export interface Route {
  method: HttpMethod
  /** e.g. `/api/chats/:chat_id/messages` */
  path: string
  /** A send to a participant: subject to the "drop the connection after processing" fault. */
  isSend?: boolean
  handle(context: RouteContext): RouteResult | Promise<RouteResult>
}

interface CompiledRoute {
  route: Route
  pattern: RegExp
  names: string[]
}

export type RouteMatch = { route: Route; params: Record<string, string> }

export class Router {
  #routes: CompiledRoute[] = []

  constructor(routes: Route[]) {
    for (const route of routes) {
      const names: string[] = []
      const source = route.path
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          names.push(segment.slice(1))
          return '([^/]+)'
        })
        .join('/')
      this.#routes.push({ route, pattern: new RegExp(`^${source}$`), names })
    }
  }

  /** The route for this method and path; null when none (an undecodable segment matches nothing). */
  match(method: string, path: string): RouteMatch | null {
    for (const { route, pattern, names } of this.#routes) {
      if (route.method !== method) continue
      const found = pattern.exec(path)
      if (!found) continue
      const params: Record<string, string> = {}
      try {
        names.forEach((name, index) => {
          params[name] = decodeURIComponent(found[index + 1])
        })
      } catch {
        return null
      }
      return { route, params }
    }
    return null
  }
}
