import { type ReactNode, useEffect, useRef } from 'react'
import { messages as m } from '../i18n/messages.ts'
import { hasNavigated } from '../router/router.tsx'

/**
 * The page's h1. It names the tab and, after an in-app navigation, takes the focus so that
 * keyboard and screen-reader users start at the new page instead of the old link.
 */
export interface PageHeadingProps {
  title: string
  id?: string
  /** Richer content than the plain title (which still names the tab). */
  children?: ReactNode
}

export function PageHeading({ title, id, children }: PageHeadingProps) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = m.common.pageTitle({ title })
    if (hasNavigated()) heading.current?.focus()
  }, [title])
  return (
    <h1 ref={heading} id={id} tabIndex={-1} className="page-heading">
      {children ?? title}
    </h1>
  )
}
