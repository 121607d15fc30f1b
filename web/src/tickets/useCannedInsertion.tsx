// Canned responses in the composer: typing `::` and part of a shortcut (`::than`) opens a
// list of the matching responses under the text; arrow keys choose, Enter or Tab inserts the
// response with its placeholders filled for the ticket (by the API), Escape closes the list.
// The text area stays focused throughout: the list is its aria-activedescendant.
import {
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react'
import { cannedResponses } from '../api/endpoints.ts'
import type { CannedResponse } from '../api/types.ts'
import { messages as m } from '../i18n/messages.ts'

/** Responses a list shows at most: the best matches, few enough to read at a glance. */
const MAX_MATCHES = 8

/** `::` and a partial shortcut right before the caret, at the start or after a space. */
export function shortcutAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)::([A-Za-z0-9_-]*)$/.exec(text.slice(0, caret))
  if (!match) return null
  const query = match[2] ?? ''
  return { start: caret - query.length - 2, query: query.toLowerCase() }
}

/** Shortcuts that start with the query first, then titles that contain it. */
export function matchingResponses(list: CannedResponse[], query: string): CannedResponse[] {
  const byShortcut = list.filter((response) => response.shortcut.startsWith(query))
  const byTitle = list.filter(
    (response) =>
      !response.shortcut.startsWith(query) && response.title.toLowerCase().includes(query),
  )
  return [...byShortcut, ...byTitle].slice(0, MAX_MATCHES)
}

export interface CannedInsertion {
  /** Spread onto the text area. */
  textareaProps: {
    'aria-autocomplete': 'list'
    'aria-controls': string | undefined
    'aria-activedescendant': string | undefined
    onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void
    onSelect(): void
  }
  /** The list of matches (or why there is none), to show under the text area. */
  menu: ReactNode
  /** A failed insertion: the response could not be filled in. */
  error: unknown
}

/**
 * Offers the agent's canned responses while they write `body` in `textarea`; `enabled` is
 * false for customers, who have none.
 */
export function useCannedInsertion(options: {
  enabled: boolean
  ticketId: string
  body: string
  setBody(update: (current: string) => string): void
  textarea: RefObject<HTMLTextAreaElement | null>
}): CannedInsertion {
  const { enabled, ticketId, body, setBody, textarea } = options
  const listId = useId()
  const [caret, setCaret] = useState(0)
  const [list, setList] = useState<CannedResponse[] | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [active, setActive] = useState(0)
  const [dismissedAt, setDismissedAt] = useState<number | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [inserting, setInserting] = useState(false)
  const caretAfterInsert = useRef<number | null>(null)

  const token = enabled ? shortcutAt(body, caret) : null
  const open = token !== null && token.start !== dismissedAt
  const matches = open && list ? matchingResponses(list, token.query) : []
  const wanted = open && list === null && loadError === null

  useEffect(() => {
    if (!wanted) return
    const controller = new AbortController()
    cannedResponses.list(controller.signal).then(setList, (failure: unknown) => {
      if (!controller.signal.aborted) setLoadError(failure)
    })
    return () => controller.abort()
  }, [wanted])

  // A failed load is tried again the next time the list opens.
  useEffect(() => {
    if (!open) setLoadError(null)
  }, [open])

  // A new query starts at the best match.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the query is the trigger
  useEffect(() => setActive(0), [token?.query])

  // The caret goes after the inserted text once React has put it in the text area.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each new body
  useEffect(() => {
    const at = caretAfterInsert.current
    if (at === null || !textarea.current) return
    caretAfterInsert.current = null
    textarea.current.setSelectionRange(at, at)
    setCaret(at)
  }, [body, textarea])

  const insert = async (response: CannedResponse) => {
    if (!token || inserting) return
    setInserting(true)
    setError(null)
    try {
      const text = await cannedResponses.rendered(response.id, ticketId)
      const typed = `::${token.query}`
      setBody((current) => {
        const still = current.slice(token.start, token.start + typed.length).toLowerCase()
        // Typed on meanwhile: the response goes where the shortcut was, if it still is.
        const start = still === typed ? token.start : current.length
        const end = still === typed ? token.start + typed.length : current.length
        caretAfterInsert.current = start + text.length
        return current.slice(0, start) + text + current.slice(end)
      })
    } catch (failure) {
      setError(failure)
    } finally {
      setInserting(false)
    }
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open) return
    if (event.key === 'Escape') {
      event.preventDefault()
      setDismissedAt(token.start)
      return
    }
    if (matches.length === 0) return
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      setActive((index) => (index + step + matches.length) % matches.length)
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault()
      const chosen = matches[Math.min(active, matches.length - 1)]
      if (chosen) void insert(chosen)
    }
  }

  const optionId = (index: number) => `${listId}-option-${index}`
  const shown = open && matches.length > 0
  return {
    textareaProps: {
      'aria-autocomplete': 'list',
      'aria-controls': shown ? listId : undefined,
      'aria-activedescendant': shown ? optionId(Math.min(active, matches.length - 1)) : undefined,
      onKeyDown,
      onSelect: () => setCaret(textarea.current?.selectionStart ?? 0),
    },
    menu: open ? (
      <div className="canned-menu">
        {shown ? (
          <div id={listId} role="listbox" aria-label={m.composer.canned.list}>
            {matches.map((response, index) => (
              // Keys reach the options through the text area (aria-activedescendant).
              // biome-ignore lint/a11y/useKeyWithClickEvents: chosen by keyboard in the text area
              <div
                key={response.id}
                id={optionId(index)}
                role="option"
                tabIndex={-1}
                aria-selected={index === active}
                className="canned-option"
                // The text area keeps the focus: a click chooses without taking it away.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => void insert(response)}
              >
                <span className="canned-shortcut">::{response.shortcut}</span>{' '}
                <span>{response.title}</span>{' '}
                <span className="muted">
                  {response.shared ? m.composer.canned.shared : m.composer.canned.yours}
                </span>
              </div>
            ))}
          </div>
        ) : null}
        <p className="muted canned-hint" role="status">
          {list === null
            ? loadError
              ? m.composer.canned.loadFailed
              : m.composer.canned.loading
            : matches.length === 0
              ? m.composer.canned.noMatch({ query: token.query })
              : inserting
                ? m.composer.canned.inserting
                : m.composer.canned.matching({ count: matches.length })}
        </p>
      </div>
    ) : null,
    error,
  }
}
