// The API image runs this bundle of the `helpdesk` command, not the TypeScript sources: Node
// then never loads its type stripper, which kept ≈40 MB more resident in every API process
// (RSS after loading the server: 194 MB from sources, 153 MB from the bundle). Our workspaces
// (@helpdesk/config, @helpdesk/backup) are bundled in; npm packages stay in node_modules,
// where their native bindings and data files are found as usual.
import type { RolldownOptions } from 'rolldown'

const isNpmPackage = (id: string) =>
  !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@helpdesk/')

export default {
  input: { helpdesk: 'src/cli/helpdesk.ts' },
  platform: 'node',
  external: (id: string) => isNpmPackage(id) || id.startsWith('node:'),
  output: {
    dir: 'dist',
    format: 'esm',
    sourcemap: false,
    // V8 keeps a module's source text for as long as its functions live: one byte per
    // character when every character is Latin-1, two otherwise, so one arrow or typographic
    // apostrophe anywhere doubles it. Comments go (licences stay); other characters are
    // escaped.
    comments: { legal: true, annotation: false, jsdoc: false },
    charset: 'ascii',
  },
} satisfies RolldownOptions
