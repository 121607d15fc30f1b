// The operator's entry point (the image runs it): the import hook first, because it must
// be in place before any module that imports client-node is even resolved; then the
// process itself (process.ts).
import { slimClientNode } from './kube/slim-client-node.ts'

slimClientNode()
await import('./process.ts')
