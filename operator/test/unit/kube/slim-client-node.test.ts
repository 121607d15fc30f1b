// The operator process loads client-node's KubeConfig and Watch without the package's
// generated API (src/kube/slim-client-node.ts), and KubeConfig still authenticates.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'

const source = (path: string) =>
  JSON.stringify(new URL(`../../../src/${path}`, import.meta.url).href)

const SCRIPT = `
import { registerHooks } from 'node:module'
import { slimClientNode } from ${source('kube/slim-client-node.ts')}
const loaded = []
registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url)
    return nextLoad(url, context)
  },
})
slimClientNode()
await import(${source('operator.ts')})
const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js')
const config = new KubeConfig()
config.loadFromOptions({
  clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', skipTLSVerify: false }],
  users: [{ name: 'u', token: 'secret-token' }],
  contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
  currentContext: 'x',
})
const options = {}
await config.applyToHTTPSOptions(options)
process.stdout.write(JSON.stringify({ loaded, authorization: options.headers?.Authorization }))
`

describe('slimClientNode', () => {
  it('keeps the generated API out of the operator, and KubeConfig still authenticates', () => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
      encoding: 'utf8',
    })
    expect(child.stderr).toBe('')
    const { loaded, authorization } = JSON.parse(child.stdout) as {
      loaded: string[]
      authorization: string
    }
    const generated = loaded.filter((url) => url.includes('/client-node/dist/gen/'))
    // Its HTTP plumbing stays; the typed clients and the hundreds of models do not.
    expect(generated.filter((url) => /\/gen\/(apis|models|types)\//.test(url))).toEqual([])
    expect(loaded.some((url) => url.endsWith('/client-node/dist/watch.js'))).toBe(true)
    expect(authorization).toBe('Bearer secret-token')
  })
})
