// Which methods a path is served with: what 405 answers put in Allow (RFC 9110 §15.5.6). A
// path counts as a route's only when its parameters are valid for it, so `/tickets/count` is
// GET only, not also `PATCH /tickets/:id` with "count" for an id.
import type { RouteSpec } from './define.ts'

export type MethodsAt = (path: string) => string[]

export function methodsAt(routes: readonly RouteSpec[], prefix: string): MethodsAt {
  const templates = routes.map((route) => {
    const names: string[] = []
    const source = (prefix + route.path)
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        names.push(segment.slice(1))
        return '([^/]+)'
      })
      .join('/')
    return { route, names, pattern: new RegExp(`^${source}$`) }
  })
  return (path) => {
    const methods = new Set<string>()
    for (const { route, names, pattern } of templates) {
      const match = pattern.exec(path)
      if (!match) continue
      const params = Object.fromEntries(
        names.map((name, index) => [name, decode(match[index + 1])]),
      )
      if (route.params && !route.params.safeParse(params).success) continue
      methods.add(route.method.toUpperCase())
      if (route.method === 'get') methods.add('HEAD')
    }
    return [...methods]
  }
}

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '')
  } catch {
    return segment ?? ''
  }
}
