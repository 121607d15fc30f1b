// The part of client-node's generated API that its KubeConfig uses (slim-client-node.ts).
export { createConfiguration } from '@kubernetes/client-node/dist/gen/configuration.js'
export { ServerConfiguration } from '@kubernetes/client-node/dist/gen/servers.js'
