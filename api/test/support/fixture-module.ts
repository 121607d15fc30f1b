// A module such as the domain will write, exercising every extension point of the platform.
import { z } from 'zod'
import { HttpError } from '../../src/errors.ts'
import { modules } from '../../src/modules.ts'
import type { HelpdeskModule } from '../../src/platform/module.ts'
import { route } from '../../src/routes/define.ts'

export const TEST_TOKEN = 'test-token-0123456789abcdef'

const Echo = z.object({ name: z.string().min(1), count: z.number().int().optional() })

const echo = route
  .post('/echo')
  .operationId('echo')
  .summary('Echo a body', 'test')
  .public()
  .body(Echo)
  .response(200, Echo)
  .handle(async ({ body }) => ({ ...body, internalNote: 'never sent' }))

const whoami = route
  .get('/whoami')
  .operationId('whoami')
  .summary('The actor')
  .auth()
  .response(200, z.object({ userId: z.string(), via: z.string() }))
  .handle(async ({ actor }) => ({ userId: actor.userId, via: actor.via }))

const rename = route
  .post('/things/:id')
  .operationId('rename')
  .summary('A state-changing request')
  .params(z.object({ id: z.uuid() }))
  .query(z.object({ dryRun: z.enum(['true', 'false']).optional() }))
  .auth()
  .body(z.object({ title: z.string().max(20) }), { limit: 256 })
  .response(200, z.object({ id: z.uuid(), title: z.string(), by: z.string() }))
  .handle(async ({ params, body, actor }) => ({ ...params, ...body, by: actor.userId }))

const adminOnly = route
  .delete('/admin-thing')
  .operationId('adminOnly')
  .summary('Needs a permission')
  .auth('settings:write')
  .response(204)
  .handle(async () => undefined)

const failing = route
  .get('/boom')
  .operationId('failing')
  .summary('Fails unexpectedly')
  .public()
  .response(200, z.object({}))
  .handle(async () => {
    throw new Error('secret internals at /srv/app.ts:12')
  })

const conflict = route
  .get('/conflict')
  .operationId('conflict')
  .summary('Fails expectedly')
  .public()
  .response(200, z.object({}))
  .handle(async () => {
    throw new HttpError('conflict', { detail: 'already there' })
  })

const login = route
  .post('/login')
  .operationId('login')
  .summary('A credential check with the strict limit')
  .public()
  .body(z.object({ email: z.email() }))
  .rateLimit('login', ({ ctx, body }) => [
    `ip:${ctx.ip}`,
    `account:${(body as { email: string }).email}`,
  ])
  .response(200, z.object({ ok: z.boolean() }))
  .handle(async () => ({ ok: true }))

/** Requests held until a test releases them: in flight for exactly as long as a test needs. */
const holders = new Map<string, (() => void)[]>()

const held = route
  .get('/held')
  .operationId('held')
  .summary('Answers once POST /release names its key')
  .public()
  .query(z.object({ key: z.string().min(1).max(50) }))
  .response(200, z.object({ released: z.string() }))
  .handle(async ({ query }) => {
    await new Promise<void>((resolve) => {
      holders.set(query.key, [...(holders.get(query.key) ?? []), resolve])
    })
    return { released: query.key }
  })

const release = route
  .post('/release')
  .operationId('release')
  .summary('Lets every request held under the key answer')
  .public()
  .query(z.object({ key: z.string().min(1).max(50) }))
  .response(200, z.object({ released: z.number() }))
  .handle(async ({ query }) => {
    const waiting = holders.get(query.key) ?? []
    holders.delete(query.key)
    for (const resolve of waiting) resolve()
    return { released: waiting.length }
  })

const signIn = route
  .post('/session')
  .operationId('signIn')
  .summary('Starts a session as a login would, after checking credentials')
  .public()
  .body(z.object({ userId: z.string() }))
  .response(200, z.object({ csrfToken: z.string() }))
  .handle(async ({ body, session }) => {
    const started = await session.start({ userId: body.userId })
    return { csrfToken: started.csrfToken }
  })

const signOut = route
  .delete('/session')
  .operationId('signOut')
  .summary('Ends the session')
  .auth()
  .response(204)
  .handle(async ({ session }) => {
    await session.end()
  })

export const fixtureModule: HelpdeskModule = {
  name: 'fixture',
  routes: [
    echo,
    whoami,
    rename,
    adminOnly,
    failing,
    conflict,
    login,
    held,
    release,
    signIn,
    signOut,
  ],
  auth: {
    async actorFromSession(session) {
      if (session.data.disabled) return null
      const permissions = (session.data.permissions as string[] | undefined) ?? []
      return { userId: session.userId, permissions: new Set(permissions), via: 'session' }
    },
    async actorFromToken(token) {
      return token === TEST_TOKEN
        ? { userId: 'token-user', permissions: new Set(['settings:write']), via: 'token' }
        : null
    },
  },
}

/** The product's modules, with the fixture authenticating instead of the accounts module. */
export const withFixture = [...modules.map(({ auth: _auth, ...module }) => module), fixtureModule]
