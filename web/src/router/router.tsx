// A small history-API router: the app needs path patterns, query strings and links, not
// a routing framework's worth of bytes in the initial bundle.
import { type AnchorHTMLAttributes, type MouseEvent, useMemo, useSyncExternalStore } from 'react'

const NAVIGATED = 'helpdesk:navigated'
let navigations = 0

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange)
  window.addEventListener(NAVIGATED, onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener(NAVIGATED, onChange)
  }
}

const currentUrl = () => `${window.location.pathname}${window.location.search}`

export interface Location {
  pathname: string
  query: URLSearchParams
  /** pathname + search, e.g. to come back after signing in. */
  href: string
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, currentUrl)
  return useMemo(() => {
    const url = new URL(href, window.location.origin)
    return { pathname: url.pathname, query: url.searchParams, href }
  }, [href])
}

export interface NavigateOptions {
  replace?: boolean
}

export function navigate(to: string, { replace = false }: NavigateOptions = {}): void {
  if (to === currentUrl()) return
  if (replace) window.history.replaceState(null, '', to)
  else {
    window.history.pushState(null, '', to)
    window.scrollTo(0, 0)
  }
  navigations += 1
  window.dispatchEvent(new Event(NAVIGATED))
}

/** True once the person has moved within the app: page headings then take the focus. */
export function hasNavigated(): boolean {
  return navigations > 0
}

/** `/tickets/:id` against `/tickets/42` → `{ id: '42' }`; null when it does not match. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const patternParts = pattern.split('/').filter(Boolean)
  const pathParts = pathname.split('/').filter(Boolean)
  if (patternParts.length !== pathParts.length) return null
  const params: Record<string, string> = {}
  for (const [index, part] of patternParts.entries()) {
    const actual = pathParts[index] as string
    if (part.startsWith(':')) params[part.slice(1)] = safeDecode(actual)
    else if (part !== actual) return null
  }
  return params
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  to: string
}

/** A real link (new tab, copy address work) that navigates in place on a plain click. */
export function Link({ to, onClick, ...props }: LinkProps) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey
    if (event.defaultPrevented || event.button !== 0 || modified) return
    event.preventDefault()
    navigate(to)
  }
  return <a href={to} onClick={follow} {...props} />
}
