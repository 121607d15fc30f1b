// The authorization matrix: for every route, what each kind of asker gets, about their own
// resource and someone else's. matrix.test.ts runs every case and refuses routes without one.
import type { Role } from '../../src/policies/roles.ts'
import type { HttpMethod } from '../../src/routes/define.ts'
import {
  type ApiClient,
  anonymous,
  createTestUser,
  signIn,
  type TestUser,
} from '../support/accounts.ts'
import type { TestApp } from '../support/app.ts'

/** Who asks: nobody, or a signed-in user of a role (admins with MFA enrolled). */
export type AskerKind = 'anonymous' | Role
export const ASKER_KINDS: readonly AskerKind[] = ['anonymous', 'customer', 'agent', 'admin']

export interface Asker {
  kind: AskerKind
  /** Undefined for anonymous. */
  user: TestUser | undefined
  client: ApiClient
}

/** About the asker's own resource, or someone else's (another customer's). */
export type Ownership = 'own' | 'other'

export interface MatrixRequest {
  method: HttpMethod
  /** Under /api/v1, with real ids in place of the route's parameters. */
  path: string
  body?: unknown
}

/** A status for every run, or one for the asker's own resource and one for someone else's. */
export type Expected = number | { own: number; other: number }

export interface MatrixCase {
  /** Runs once per ownership; `expect` then gives { own, other } where they differ. */
  ownership?: boolean
  /** Each run gets a new asker: the request ends its session or changes its account. */
  freshAsker?: boolean
  request(world: World, asker: Asker, ownership: Ownership): Promise<MatrixRequest>
  expect: Record<AskerKind, Expected>
}

/** Cases by route, keyed `METHOD /path` as the route is defined (`PATCH /users/:id`). */
export type MatrixCases = Record<string, MatrixCase>

/** Users and clients the cases share; `fresh*` make new ones for cases that consume them. */
export class World {
  readonly api: TestApp
  readonly #askers = new Map<AskerKind, Promise<Asker>>()
  #victim: Promise<{ user: TestUser; client: ApiClient }> | undefined
  #admin: Promise<ApiClient> | undefined
  #otherAgent: Promise<ApiClient> | undefined

  constructor(api: TestApp) {
    this.api = api
  }

  /** The shared asker of a kind. */
  asker(kind: AskerKind): Promise<Asker> {
    let asker = this.#askers.get(kind)
    if (!asker) {
      asker = this.freshAsker(kind)
      this.#askers.set(kind, asker)
    }
    return asker
  }

  async freshAsker(kind: AskerKind): Promise<Asker> {
    if (kind === 'anonymous') return { kind, user: undefined, client: anonymous(this.api) }
    const user = await createTestUser(this.api, { role: kind })
    return { kind, user, client: await signIn(this.api, user) }
  }

  /** A customer other than the asker, whose things are "someone else's". */
  victim(): Promise<{ user: TestUser; client: ApiClient }> {
    this.#victim ??= this.freshSignedIn('customer')
    return this.#victim
  }

  /** An agent other than the asker, whose personal things (saved views...) are "someone else's". */
  otherAgent(): Promise<ApiClient> {
    this.#otherAgent ??= this.freshSignedIn('agent').then(({ client }) => client)
    return this.#otherAgent
  }

  async freshSignedIn(role: Role): Promise<{ user: TestUser; client: ApiClient }> {
    const user = await createTestUser(this.api, { role })
    return { user, client: await signIn(this.api, user) }
  }

  /** An admin of the world's own, for setting things up (never an asker). */
  admin(): Promise<ApiClient> {
    this.#admin ??= this.freshSignedIn('admin').then(({ client }) => client)
    return this.#admin
  }

  /** The user a request is about: the asker, or someone else. */
  async subject(asker: Asker, ownership: Ownership): Promise<TestUser> {
    if (ownership === 'own' && asker.user) return asker.user
    return (await this.victim()).user
  }
}

/** Agents and admins get `status`; customers are refused at the route. */
export const staffOnly = (status: number) =>
  ({ anonymous: 401, customer: 403, agent: status, admin: status }) as const

/** Staff's personal things: `status` for their own, 404 for another's (nobody else sees them). */
export const ownersOnly = (status: number) =>
  ({
    anonymous: 401,
    customer: 403,
    agent: { own: status, other: 404 },
    admin: { own: status, other: 404 },
  }) as const

/** The status expected for one run. */
export function expectedStatus(expected: Expected, ownership: Ownership): number {
  return typeof expected === 'number' ? expected : expected[ownership]
}

/** Whether a concrete path is an instance of a route template (`/users/:id`). */
export function matchesTemplate(template: string, path: string): boolean {
  const pattern = template.replace(/:[A-Za-z]+/g, '[^/?]+')
  return new RegExp(`^${pattern}(\\?.*)?$`).test(path)
}
