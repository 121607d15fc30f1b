import { registerHooks } from 'node:module'

/** What client-node's KubeConfig takes from its generated API. */
const GENERATED_API = new URL('./client-node-generated-api.ts', import.meta.url).href

/**
 * client-node's KubeConfig (dist/config.js) imports the package's whole generated API
 * (dist/gen/index.js: every typed client and model, 25 MB of JavaScript whose source V8
 * keeps in memory — about 35 MiB of the operator's resident set) for two names. The
 * operator talks to the API server through its own JSON client (client.ts), so that one
 * import is answered by a module exporting just those two. Should client-node ever import
 * another name there, the process fails at startup naming it, instead of misbehaving.
 */
export function slimClientNode(): void {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const fromKubeConfig = context.parentURL?.endsWith('/@kubernetes/client-node/dist/config.js')
      if (specifier === './gen/index.js' && fromKubeConfig) {
        return { url: GENERATED_API, shortCircuit: true }
      }
      return nextResolve(specifier, context)
    },
  })
}
