// Reading query parameters and request fields the way every endpoint does.
import type { RequestBody } from '../body.ts'
import { badRequest } from '../http-errors.ts'

export const DEFAULT_PER_PAGE = 20
export const MAX_PER_PAGE = 100

/** Zero-based `page` (default 0) and `per_page` (default 20, clamped to 1…100). */
export function pagination(query: URLSearchParams): { page: number; perPage: number } {
  const page = wholeNumber(query.get('page'))
  const perPage = wholeNumber(query.get('per_page'))
  return {
    page: page === null || page < 0 ? 0 : page,
    perPage: perPage === null ? DEFAULT_PER_PAGE : Math.min(MAX_PER_PAGE, Math.max(1, perPage))
  }
}

function wholeNumber(value: string | null): number | null {
  if (value === null || value.trim() === '') return null
  const number = Number(value)
  if (!Number.isFinite(number)) return null
  return Math.trunc(number)
}

/** An optional ISO 8601 query parameter, in ms; 400 when present but unreadable. */
export function timestampParam(query: URLSearchParams, name: string): number | null {
  const value = query.get(name)
  if (value === null || value === '') return null
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw badRequest(`${name} must be an ISO 8601 timestamp, such as 2026-05-31T14:02:00.000Z.`)
  return ms
}

/**
 * A comma-separated list parameter (`platforms=instagram,facebook`); also read as repeated
 * `name[]=` parameters. null when absent.
 */
export function listParam(query: URLSearchParams, name: string): string[] | null {
  const values = [...query.getAll(name), ...query.getAll(`${name}[]`)]
  const items = values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '')
  return items.length > 0 ? items : null
}

/** An optional query parameter that must be one of `allowed`; 400 otherwise. */
export function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | null {
  const value = query.get(name)
  if (value === null || value === '') return null
  if (!(allowed as readonly string[]).includes(value)) throw badRequest(`${name} must be one of ${allowed.join(', ')}.`)
  return value as T
}

/**
 * The request's fields as an object: the JSON body, or the text parts of a form upload (so a
 * form-encoded client works too). No body is no fields.
 */
export function fieldsOf(body: RequestBody): Record<string, unknown> {
  if (body.kind === 'json') return body.value
  if (body.kind === 'multipart') {
    const fields: Record<string, unknown> = {}
    for (const part of body.parts) if (part.filename === null) fields[part.name] = part.data.toString('utf8')
    return fields
  }
  return {}
}

/** A required string field; 400 (Postproxy's "missing parameter") when absent or blank. */
export function requiredParam(fields: Record<string, unknown>, name: string): string {
  const value = fields[name]
  if (typeof value === 'number') return String(value)
  if (typeof value !== 'string' || value.trim() === '') throw badRequest(`param is missing or the value is empty: ${name}`)
  return value
}

/** An optional string field; null when absent. */
export function optionalString(fields: Record<string, unknown>, name: string): string | null {
  const value = fields[name]
  if (value === undefined || value === null) return null
  return typeof value === 'string' ? value : String(value)
}
