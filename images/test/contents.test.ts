// What each image is made of, read from its configuration and its mounted root filesystem:
// the user, the entrypoint, the OCI labels, what each runs, and no build tools or development
// dependencies.
import { existsSync, readFileSync, readlinkSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import {
  type ImageName,
  imageConfig,
  projectVersion,
  requireImage,
  withImageFilesystem,
} from './support/podman.ts'

const IMAGES: ImageName[] = ['api', 'web', 'operator']

/**
 * The workspace each Node image runs, and where the image holds it: bundled with the
 * workspaces it uses (<workspace>/rolldown.config.ts), not as sources.
 */
const NODE_IMAGES: Partial<Record<ImageName, { workspace: string; bundle: string }>> = {
  api: { workspace: 'api', bundle: '/app/api/dist/helpdesk.js' },
  operator: { workspace: 'operator', bundle: '/app/operator/dist/main.js' },
}

interface Manifest {
  name: string
  workspaces?: string[]
  dependencies?: Record<string, string>
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(path.join(repoRoot, dir, 'package.json'), 'utf8'))

/** The workspace directory and those its production dependencies reach, sorted. */
function workspaceClosure(dir: string): string[] {
  const byName = new Map(
    (readManifest('.').workspaces ?? []).map((workspace) => [
      readManifest(workspace).name,
      workspace,
    ]),
  )
  const reached = new Set<string>()
  const visit = (workspace: string) => {
    if (reached.has(workspace)) return
    reached.add(workspace)
    for (const dependency of Object.keys(readManifest(workspace).dependencies ?? {})) {
      const target = byName.get(dependency)
      if (target) visit(target)
    }
  }
  visit(dir)
  return [...reached].sort()
}

const BUILD_TOOLS = [
  'usr/local/bin/npm',
  'usr/local/bin/npx',
  'usr/local/bin/yarn',
  'usr/local/bin/corepack',
  'usr/local/lib/node_modules',
  'usr/bin/gcc',
  'usr/bin/strip',
  'usr/bin/make',
]

/** Packages the lockfile marks as development-only. */
function developmentPackages(): string[] {
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>
  }
  return Object.entries(lock.packages)
    .filter(([key, entry]) => entry.dev && key.startsWith('node_modules/'))
    .map(([key]) => key)
}

describe.each(IMAGES)('the %s image', (name) => {
  it('runs as UID 10001 and carries the OCI labels of this version', async () => {
    const config = await imageConfig(await requireImage(name))
    expect(config.User).toBe('10001:10001')
    expect(config.Labels).toMatchObject({
      'org.opencontainers.image.version': projectVersion(),
      'org.opencontainers.image.source': expect.stringMatching(/^https:\/\//),
      'org.opencontainers.image.revision': expect.stringMatching(/^[0-9a-f]{40}(-dirty)?$/),
      'org.opencontainers.image.licenses': 'Apache-2.0',
    })
  })

  it('holds no build tools', async () => {
    const present = await withImageFilesystem(await requireImage(name), (root) =>
      BUILD_TOOLS.filter((tool) => existsSync(path.join(root, tool))),
    )
    expect(present).toEqual([])
  })
})

describe.each(Object.entries(NODE_IMAGES))('the %s image', (name, { workspace, bundle }) => {
  it('starts through tini, so signals reach Node and children are reaped', async () => {
    const { Entrypoint } = await imageConfig(await requireImage(name as ImageName))
    expect(Entrypoint?.slice(0, 2)).toEqual(['tini', '--'])
  })

  it('starts one bundle of its workspaces, and holds neither their sources nor links', async () => {
    const image = await requireImage(name as ImageName)
    const program = (await imageConfig(image)).Entrypoint?.at(-1) ?? ''
    const found = await withImageFilesystem(image, (root) => ({
      // The entrypoint names the bundle, or a command on PATH that links to it.
      started: program.startsWith('/')
        ? program
        : readlinkSync(path.join(root, 'usr/local/bin', program)),
      bundled: existsSync(path.join(root, bundle)),
      links: existsSync(path.join(root, 'app/node_modules/@helpdesk')),
      withSources: workspaceClosure(workspace).filter((dir) =>
        existsSync(path.join(root, 'app', dir, 'src')),
      ),
    }))
    expect(found).toEqual({ started: bundle, bundled: true, links: false, withSources: [] })
  })

  it('holds no development dependencies', async () => {
    const present = await withImageFilesystem(await requireImage(name as ImageName), (root) =>
      developmentPackages().filter((key) => existsSync(path.join(root, 'app', key))),
    )
    expect(present).toEqual([])
  })
})
