// The render context of the chart generator: names, hashes, generated credentials and joined
// lists become placeholders, and hashed content is kept for the chart's helpers.
import type { RenderContext } from '../render/context.ts'
import type { TokenRegistry } from './tokens.ts'

export interface TemplateContext extends RenderContext {
  /** Content passed to contentHash during this render, by hash id. */
  readonly hashed: Map<string, Record<string, unknown>>
}

export function templateContext(
  tokens: TokenRegistry,
  managedBy: string,
  chartLabel: string,
): TemplateContext {
  const hashed = new Map<string, Record<string, unknown>>()
  return {
    instance: tokens.string({ kind: 'release' }),
    namespace: tokens.string({ kind: 'namespace' }),
    managedBy,
    podTemplateAnnotations: {},
    chartLabel,
    hashed,
    contentHash(id, content, length = 64) {
      hashed.set(id, content)
      return tokens.string({ kind: 'hash', id, length })
    },
    generatedCredential: (secretName, key, length) =>
      tokens.string({ kind: 'generated', secretName, key, length }),
    joinList(list, separator) {
      const token = list.length === 1 ? tokens.whole(list[0]) : undefined
      if (token?.kind !== 'list') return list.join(separator)
      return tokens.string({ kind: 'join', path: token.path, separator })
    },
  }
}
