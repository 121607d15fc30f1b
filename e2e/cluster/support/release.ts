// A Helm release of charts/helpdesk on the test node, in a namespace of its own that enforces
// Pod Security "restricted", and the accounts a test needs to talk to it through its Services.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { repoRoot, serviceDir, uniqueId } from '@helpdesk/harness'
import { ApiSession, enrolledAdmin } from '../../browser/support/api.ts'
import type { Account } from '../../browser/support/stack.ts'
import { createNamespace, deleteNamespace, helm, kubectl, serviceIp } from './cluster.ts'

export const HELPDESK_CHART = path.join(repoRoot, 'charts', 'helpdesk')

/** Chart values as a test writes them (the chart's schema checks them). */
export type Values = Record<string, unknown>

export interface Release {
  name: string
  namespace: string
  /** http://<api Service IP>:8080 — the API as other pods reach it. */
  apiUrl: string
  /** http://<web Service IP>:8080 — nginx with the web app, proxying /api/. */
  webUrl: string
  admin: Account
  /** Seconds `helm install --wait --wait-for-jobs` took. */
  installSeconds: number
}

function valuesFile(values: Values): string {
  const dir = serviceDir('values')
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `values-${uniqueId()}.json`)
  writeFileSync(file, JSON.stringify(values))
  return file
}

/** `helm install|upgrade` arguments that wait for every pod and Job, as a careful operator would. */
export function waitArgs(timeout = '15m'): string[] {
  return ['--wait', '--wait-for-jobs', `--timeout=${timeout}`]
}

/** Installs into a new namespace; `prepare` creates what the values refer to (Secrets). */
export async function installRelease(
  prefix: string,
  values: Values = {},
  prepare: (namespace: string) => Promise<void> = async () => {},
): Promise<Release> {
  const namespace = await createNamespace(prefix)
  await prepare(namespace)
  const name = prefix
  const started = Date.now()
  await helm([
    'install',
    name,
    HELPDESK_CHART,
    `--namespace=${namespace}`,
    `--values=${valuesFile(values)}`,
    ...waitArgs(),
  ])
  const installSeconds = (Date.now() - started) / 1000
  const password = Buffer.from(
    await kubectl([
      'get',
      'secret',
      `${name}-admin`,
      `--namespace=${namespace}`,
      '--output=jsonpath={.data.password}',
    ]),
    'base64',
  ).toString()
  const host = (values.host as string | undefined) ?? 'helpdesk.local'
  return {
    name,
    namespace,
    apiUrl: `http://${await serviceIp(namespace, `${name}-api`)}:8080`,
    webUrl: `http://${await serviceIp(namespace, `${name}-web`)}:8080`,
    admin: { email: `admin@${host}`, password },
    installSeconds,
  }
}

export async function upgradeRelease(
  release: Release,
  values: Values,
  extraArgs: string[] = [],
): Promise<void> {
  await helm([
    'upgrade',
    release.name,
    HELPDESK_CHART,
    `--namespace=${release.namespace}`,
    `--values=${valuesFile(values)}`,
    ...waitArgs(),
    ...extraArgs,
  ])
}

export async function uninstallRelease(release: Release | undefined): Promise<void> {
  if (!release) return
  await helm([
    'uninstall',
    release.name,
    `--namespace=${release.namespace}`,
    '--wait',
    '--timeout=5m',
  ])
  await deleteNamespace(release.namespace)
}

export interface People {
  admin: ApiSession
  agent: Account
  customer: Account
}

/** The first admin (MFA enrolled) adds an agent and a customer. */
export async function addPeople(release: Release): Promise<People> {
  const admin = await enrolledAdmin(release.apiUrl, release.admin)
  const agent = { email: `agent-${uniqueId()}@example.com`, password: `Agent-${uniqueId(8)}` }
  const customer = {
    email: `customer-${uniqueId()}@example.com`,
    password: `Customer-${uniqueId(8)}`,
  }
  await admin.request('POST', '/users', { ...agent, name: 'Ada Agent', role: 'agent' })
  await admin.request('POST', '/users', { ...customer, name: 'Carla Customer', role: 'customer' })
  return { admin, agent, customer }
}

export async function signedIn(base: string, account: Account): Promise<ApiSession> {
  const session = new ApiSession(base)
  await session.login(account)
  return session
}
