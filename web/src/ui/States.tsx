// The empty, loading and error states every list and page shares.
import type { ReactNode } from 'react'
import { ApiError, errorMessage } from '../api/client.ts'
import type { PagedList } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'

export function Loading({ label = m.common.loading }: { label?: string }) {
  return (
    <p className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  )
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          {m.common.tryAgain}
        </button>
      )}
    </div>
  )
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  )
}

/** A failed action, beside the control that caused it. */
export function InlineError({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null
  return (
    <p className="inline-error" role="alert" id={id}>
      {errorMessage(error)}
    </p>
  )
}

/**
 * A failed submit of a form whose fields show their own messages (`fields`: the body
 * fields they stand for): only what none of them says, so there is one message per problem.
 */
export function FormError({ error, fields }: { error: unknown; fields: readonly string[] }) {
  return <InlineError error={error instanceof ApiError ? error.beyondFields(fields) : error} />
}

/** The next page of a list on request, and why the last request for it failed. */
export function LoadMore({
  list,
  label,
}: {
  list: Pick<PagedList<unknown>, 'hasMore' | 'loadingMore' | 'loadMore' | 'moreError'>
  label: string
}) {
  return (
    <>
      {list.hasMore && (
        <button
          type="button"
          className="button"
          onClick={list.loadMore}
          disabled={list.loadingMore}
        >
          {list.loadingMore ? m.common.loading : label}
        </button>
      )}
      <InlineError error={list.moreError} />
    </>
  )
}

/** Announces quiet confirmations ("Saved") to screen readers as well as showing them. */
export function StatusLine({ message }: { message: string }) {
  return (
    <p className="status-line" role="status">
      {message}
    </p>
  )
}
