import type { Context } from 'koa'
import type { Actor } from './actor.ts'

/** What the platform's middleware records about a request, read by logs and metrics. */
export interface RequestState {
  requestId: string
  /** The route template (`/api/v1/tickets/:id`), set once a route matched. */
  routeTemplate?: string
  actor?: Actor
  /** The problem type of an error response, for the error counter. */
  errorType?: string
}

export function requestState(ctx: Context): RequestState {
  return ctx.state as RequestState
}
