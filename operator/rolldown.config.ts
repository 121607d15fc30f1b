// The operator image runs this bundle, not the TypeScript sources: Node then never loads its
// type stripper, and @kubernetes/client-node is bundled in so that only the parts the operator
// uses are kept — its entry point loads every generated API model otherwise. RSS after loading
// the operator: 194 MB from sources, 152 MB bundled with client-node left out, 121–129 MB with
// it in. Our workspaces (@helpdesk/cdk8s, @helpdesk/backup, @helpdesk/config) are bundled too.
// Client-node comes with everything it imports: some of its dependencies are installed inside
// its own folder (another js-yaml than the top-level one), where the bundle could not find
// them. The operator's other npm packages stay in node_modules.
import type { RolldownOptions } from 'rolldown'

const isPackage = (id: string) => !id.startsWith('.') && !id.startsWith('/')

/** Imported by our code, or by a package that is itself bundled (client-node's closure). */
const bundled = (id: string, importer: string | undefined) =>
  id.startsWith('@helpdesk/') ||
  id === '@kubernetes/client-node' ||
  importer?.includes('/node_modules/') === true

export default {
  input: { main: 'src/main.ts' },
  platform: 'node',
  external: (id: string, importer: string | undefined) =>
    id.startsWith('node:') || (isPackage(id) && !bundled(id, importer)),
  output: {
    dir: 'dist',
    format: 'esm',
    sourcemap: false,
    // Held one byte per character, as the API's bundle (api/rolldown.config.ts says why):
    // 2.6 MB instead of 6.4.
    comments: { legal: true, annotation: false, jsdoc: false },
    charset: 'ascii',
  },
} satisfies RolldownOptions
