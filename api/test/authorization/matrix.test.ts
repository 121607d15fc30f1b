// Every route × every kind of asker × own or someone else's resource. The rows come from the
// route definitions themselves: a route added without a matrix case fails this file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { modules } from '../../src/modules.ts'
import { composeModules } from '../../src/platform/module.ts'
import { permissionsOf } from '../../src/policies/policy.ts'
import type { RouteDefinition } from '../../src/routes/define.ts'
import { createTestUser, signIn } from '../support/accounts.ts'
import { externalEnvironment, startTestApp, type TestApp } from '../support/app.ts'
import { accountCases } from './accounts-cases.ts'
import { cannedResponseCases } from './canned-responses-cases.ts'
import { mailCases } from './mail-cases.ts'
import {
  ASKER_KINDS,
  type Asker,
  type AskerKind,
  expectedStatus,
  type MatrixCase,
  matchesTemplate,
  type Ownership,
  World,
} from './matrix.ts'
import { savedViewCases } from './saved-views-cases.ts'
import { ticketCases } from './tickets-cases.ts'

const CASES = {
  ...accountCases,
  ...ticketCases,
  ...mailCases,
  ...cannedResponseCases,
  ...savedViewCases,
}
const ROUTES = composeModules(modules).routes
const keyOf = (route: RouteDefinition) => `${route.method.toUpperCase()} ${route.path}`

interface Run {
  key: string
  route: RouteDefinition
  matrixCase: MatrixCase
  kind: AskerKind
  ownership: Ownership
}

function runsOf(route: RouteDefinition): Run[] {
  const matrixCase = CASES[keyOf(route)]
  if (!matrixCase) return []
  return ASKER_KINDS.flatMap((kind) =>
    (matrixCase.ownership && kind !== 'anonymous'
      ? (['own', 'other'] as const)
      : (['other'] as const)
    ).map((ownership) => ({ key: keyOf(route), route, matrixCase, kind, ownership })),
  )
}

let api: TestApp
let world: World

beforeAll(async () => {
  // Hundreds of requests from one address: the global per-address limit is not under test.
  api = await startTestApp(await externalEnvironment(), {
    rateLimits: { global: { points: 100_000, durationSeconds: 60, whenStoreDown: 'local' } },
  })
  world = new World(api)
})
afterAll(() => api.close())

describe('the authorization matrix', () => {
  it('has a case for every route, and no case for a route that does not exist', () => {
    const routes = ROUTES.map(keyOf).sort()
    expect(Object.keys(CASES).sort()).toEqual(routes)
  })

  const runs = ROUTES.flatMap(runsOf)
  it.each(runs.map((run) => [run.key, run.kind, run.ownership, run] as const))(
    '%s as %s (%s)',
    async (_key, _kind, _ownership, run) => {
      const asker = run.matrixCase.freshAsker
        ? await world.freshAsker(run.kind)
        : await world.asker(run.kind)
      const request = await run.matrixCase.request(world, asker, run.ownership)
      expect(request.method).toBe(run.route.method)
      expect(matchesTemplate(run.route.path, request.path)).toBe(true)
      const answer = await asker.client.request(
        request.method.toUpperCase(),
        request.path,
        request.body,
      )
      const expected = expectedStatus(run.matrixCase.expect[run.kind], run.ownership)
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status: expected })
    },
  )
})

describe('an admin who has not enrolled MFA', () => {
  const adminOnly = (route: RouteDefinition) => {
    if (route.auth.kind !== 'actor') return false
    const lesser = new Set([...permissionsOf('customer'), ...permissionsOf('agent')])
    return route.auth.permissions.some((permission) => !lesser.has(permission))
  }
  let unenrolled: Asker

  beforeAll(async () => {
    const user = await createTestUser(api, { role: 'admin', mfa: false })
    unenrolled = { kind: 'admin', user, client: await signIn(api, user) }
  })

  it.each(
    ROUTES.filter((route) => CASES[keyOf(route)]).map(
      (route) => [keyOf(route), adminOnly(route), route] as const,
    ),
  )('%s: held for enrolment only when admin-only (%s)', async (key, isAdminOnly, route) => {
    const matrixCase = CASES[key] as MatrixCase
    const asker = matrixCase.freshAsker
      ? await createTestUser(api, { role: 'admin', mfa: false }).then(async (user) => ({
          kind: 'admin' as const,
          user,
          client: await signIn(api, user),
        }))
      : unenrolled
    const request = await matrixCase.request(world, asker, 'own')
    expect(request.method).toBe(route.method)
    const answer = await asker.client.request(
      request.method.toUpperCase(),
      request.path,
      request.body,
    )
    const held =
      answer.status === 403 && (answer.body as { type?: string }).type === 'mfa_enrollment_required'
    expect({ key, held }).toEqual({ key, held: isAdminOnly })
  })
})
