// The agent workspace: queues with counts, filters and search kept in the URL (so a view can
// be shared and survives a reload), and the ticket list — as cards or a compact table — whose
// selected tickets take one change together.
import { type FormEvent, type ReactNode, useEffect, useMemo, useState } from 'react'
import { tickets } from '../api/endpoints.ts'
import type { Team, TicketFilters } from '../api/types.ts'
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../api/types.ts'
import { useLoad, usePaged } from '../hooks/data.ts'
import { useLiveRefresh } from '../hooks/live.tsx'
import { messages as m } from '../i18n/messages.ts'
import { Link, navigate, useLocation } from '../router/router.tsx'
import { TicketList } from '../tickets/TicketList.tsx'
import { Field } from '../ui/Field.tsx'
import { PageHeading } from '../ui/PageHeading.tsx'
import { BulkActions } from './BulkActions.tsx'
import { useDirectory } from './directory.ts'
import { QUEUE_LAYOUTS, type QueueLayout, useQueueLayout } from './layout.ts'
import {
  currentView,
  effectiveFilters,
  FILTER_KEYS,
  type FilterKey,
  openSavedView,
  QUEUES,
  type Queue,
  teamViewPath,
  type View,
  viewQueryOf,
} from './queues.ts'
import { rememberQueue } from './queueTrail.ts'
import { SavedViewActions, SavedViewLinks, useSavedViews } from './SavedViews.tsx'
import { useTicketSelection } from './selection.ts'
import { moveFocus, useShortcuts } from './shortcuts.ts'

export function QueuePage() {
  const { query, pathname } = useLocation()
  const directory = useDirectory()
  const filters = effectiveFilters(query)
  const staff = directory.result.state === 'ready' ? directory.result.data : undefined
  const saved = useSavedViews()
  const savedList = saved.result.state === 'ready' ? saved.result.data : []
  const view = currentView(
    query,
    (id) => staff?.agents.find((agent) => agent.id === id)?.name,
    (id) => staff?.teams.find((team) => team.id === id)?.name,
    savedList,
  )
  const key = JSON.stringify(filters)
  const list = usePaged(key, (cursor, signal) => tickets.list(filters, cursor, signal))
  useLiveRefresh(anyTicket, list.reload, QUEUE_REFRESH_MS)
  const searching = Boolean(query.get('q'))
  const address = `${pathname}?${query}`
  useEffect(
    () =>
      rememberQueue(
        address,
        list.items.map((ticket) => ticket.id),
      ),
    [address, list.items],
  )
  useShortcuts({
    next: () => moveFocus(ticketLinks(), 1),
    previous: () => moveFocus(ticketLinks(), -1),
    search: () => document.getElementById(SEARCH_ID)?.focus(),
  })
  const shownIds = useMemo(() => list.items.map((ticket) => ticket.id), [list.items])
  const selection = useTicketSelection(shownIds, key)
  const selected = list.items.filter((ticket) => selection.isSelected(ticket.id))
  const [layout, setLayout] = useQueueLayout()

  return (
    <div className="workspace">
      <QueueNav view={view} teams={staff?.teams ?? []} refreshKey={key}>
        <SavedViewLinks views={saved} currentId={view.savedViewId} />
      </QueueNav>
      <section className="workspace-main" aria-labelledby="queue-heading">
        <div className="page-title-row">
          <PageHeading id="queue-heading" title={view.title} />
          <ViewCount filters={filters} refreshKey={key} />
          {/* After the heading: its focus on a new title must not beat the dialog's return. */}
          <SavedViewActions
            views={saved}
            current={openSavedView(query, savedList)}
            query={viewQueryOf(query)}
          />
        </div>
        <SearchBox />
        <div className="queue-toolbar">
          <FilterBar />
          <LayoutChoice layout={layout} onChange={setLayout} />
        </div>
        <BulkActions
          selected={selected}
          // The selection stays for a next change (priority, then assignee); tickets the
          // change moved out of the view leave it with the refresh.
          onApplied={list.reload}
        />
        <TicketList
          list={list}
          audience="agent"
          selection={selection}
          layout={layout}
          emptyTitle={searching ? m.queue.noSearchMatch : m.queue.empty}
          emptyHint={hasExplicitFilters(query) ? m.queue.emptyHint : undefined}
        />
      </section>
    </div>
  )
}

/** The ticket links of the list on screen (cards or table), in order: where j and k move the focus. */
const ticketLinks = () => [
  ...document.querySelectorAll<HTMLElement>('.ticket-row-subject a, .ticket-table-subject a'),
]
const SEARCH_ID = 'ticket-search'

function LayoutChoice({
  layout,
  onChange,
}: {
  layout: QueueLayout
  onChange(layout: QueueLayout): void
}) {
  return (
    <fieldset className="layout-choice">
      <legend>{m.queue.layout}</legend>
      {QUEUE_LAYOUTS.map((choice) => (
        <label key={choice.id}>
          <input
            type="radio"
            name="queue-layout"
            value={choice.id}
            checked={layout === choice.id}
            onChange={() => onChange(choice.id)}
          />
          {choice.label}
        </label>
      ))}
    </fieldset>
  )
}

/** Any ticket's news may move it in or out of a queue: the lists and counts refetch. */
const anyTicket = () => true
/** Queues refetch at most this often while news keeps coming. */
const QUEUE_REFRESH_MS = 1_000

/** How many tickets the filters on screen select: all of them, not just the loaded page. */
function ViewCount({ filters, refreshKey }: { filters: TicketFilters; refreshKey: string }) {
  const count = useLoad(`view-count:${refreshKey}`, (signal) =>
    tickets.count({ ...filters, sort: undefined }, signal),
  )
  useLiveRefresh(anyTicket, count.reload, QUEUE_REFRESH_MS)
  if (count.result.state !== 'ready') return null
  const { count: total } = count.result.data
  return <p className="view-count">{m.queue.count({ count: total })}</p>
}

function hasExplicitFilters(query: URLSearchParams): boolean {
  return FILTER_KEYS.some((key) => query.get(key))
}

/** Sets (or clears) query parameters of the current view, keeping the rest. */
function updateQuery(changes: Record<string, string | undefined>): void {
  const params = new URLSearchParams(window.location.search)
  for (const [name, value] of Object.entries(changes)) {
    if (value) params.set(name, value)
    else params.delete(name)
  }
  const search = params.toString()
  navigate(`/tickets${search ? `?${search}` : ''}`, { replace: true })
}

/**
 * The built-in views: queues (counted where the count stays small), then one per team, then
 * the agent's own (`children`).
 */
function QueueNav({
  view,
  teams,
  refreshKey,
  children,
}: {
  view: View
  teams: Team[]
  refreshKey: string
  children: ReactNode
}) {
  const counts = useLoad(`counts:${refreshKey}`, (signal) =>
    Promise.all(COUNTED.map((queue) => tickets.count(queue.filters, signal).then((c) => c.count))),
  )
  useLiveRefresh(anyTicket, counts.reload, QUEUE_REFRESH_MS)
  const countOf = (queue: Queue) => {
    const index = COUNTED.indexOf(queue)
    if (index === -1) return undefined
    return counts.result.state === 'ready' ? (counts.result.data[index] ?? null) : null
  }
  return (
    <nav className="queue-nav" aria-label={m.queue.navigation}>
      <ul>
        {QUEUES.map((queue) => (
          <li key={queue.id}>
            <ViewLink
              to={`/tickets?queue=${queue.id}`}
              label={queue.label}
              current={queue.id === view.queueId}
              count={countOf(queue)}
            />
          </li>
        ))}
      </ul>
      {teams.length > 0 && (
        <>
          <h2 className="queue-nav-heading">{m.queue.teams}</h2>
          <ul>
            {teams.map((team) => (
              <li key={team.id}>
                <ViewLink
                  to={teamViewPath(team.id)}
                  label={team.name}
                  current={team.id === view.teamId}
                />
              </li>
            ))}
          </ul>
        </>
      )}
      {children}
    </nav>
  )
}

const COUNTED = QUEUES.filter((queue) => queue.counted)

/** A view in the navigation; `count` null while it loads, undefined for views not counted. */
function ViewLink(props: { to: string; label: string; current: boolean; count?: number | null }) {
  const { to, label, current, count } = props
  return (
    <Link to={to} aria-current={current ? 'page' : undefined}>
      <span>{label}</span>
      {count !== undefined && (
        <span className="count">
          {count !== null ? (
            <>
              {count}
              <span className="visually-hidden">{m.queue.ticketsAfterCount}</span>
            </>
          ) : (
            <span aria-hidden="true">·</span>
          )}
        </span>
      )}
    </Link>
  )
}

function SearchBox() {
  const { query } = useLocation()
  const [text, setText] = useState(query.get('q') ?? '')
  const current = query.get('q') ?? ''
  useEffect(() => setText(current), [current])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    updateQuery({ q: text.trim() || undefined })
  }
  return (
    <search>
      <form className="search-form" onSubmit={submit}>
        <label htmlFor={SEARCH_ID} className="visually-hidden">
          {m.queue.searchTickets}
        </label>
        <input
          id={SEARCH_ID}
          type="search"
          placeholder={m.queue.searchPlaceholder}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="button">
          {m.queue.search}
        </button>
        {current && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setText('')
              updateQuery({ q: undefined })
            }}
          >
            {m.queue.clearSearch}
          </button>
        )}
      </form>
    </search>
  )
}

function FilterBar() {
  const { query } = useLocation()
  const directory = useDirectory()
  const ready = directory.result.state === 'ready' ? directory.result.data : undefined
  const value = (key: FilterKey | 'sort') => query.get(key) ?? ''
  const set = (key: FilterKey | 'sort') => (next: string) =>
    updateQuery({ [key]: next || undefined })
  const [tag, setTag] = useState(value('tag'))

  return (
    <details className="filters disclosure" open={hasExplicitFilters(query) || undefined}>
      <summary>{m.queue.filters}</summary>
      <div className="filter-grid">
        <Select label={m.queue.filter.status} value={value('status')} onChange={set('status')}>
          <option value="">{m.queue.filter.queueDefault}</option>
          {TICKET_STATUSES.map((status) => (
            <option key={status} value={status}>
              {m.common.statuses[status]}
            </option>
          ))}
        </Select>
        <Select
          label={m.queue.filter.priority}
          value={value('priority')}
          onChange={set('priority')}
        >
          <option value="">{m.queue.filter.any}</option>
          {TICKET_PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {m.common.priorities[priority]}
            </option>
          ))}
        </Select>
        <Select
          label={m.queue.filter.assignee}
          value={value('assigneeId')}
          onChange={set('assigneeId')}
        >
          <option value="">{m.queue.filter.queueDefault}</option>
          <option value="me">{m.queue.filter.me}</option>
          <option value="none">{m.common.unassigned}</option>
          {ready?.agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </Select>
        <Select label={m.queue.filter.team} value={value('teamId')} onChange={set('teamId')}>
          <option value="">{m.queue.filter.any}</option>
          {ready?.teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </Select>
        <form
          className="field"
          onSubmit={(event) => {
            event.preventDefault()
            set('tag')(tag.trim())
          }}
        >
          <label htmlFor="filter-tag">{m.queue.filter.tag}</label>
          <input
            id="filter-tag"
            value={tag}
            onChange={(event) => setTag(event.target.value)}
            onBlur={() => set('tag')(tag.trim())}
          />
        </form>
        <Select label={m.queue.filter.sortBy} value={value('sort')} onChange={set('sort')}>
          <option value="">
            {query.get('q') ? m.queue.sorts.bestMatch : m.queue.sorts.lastUpdated}
          </option>
          <option value="created">{m.queue.sorts.created}</option>
          <option value="priority">{m.queue.sorts.priority}</option>
          <option value="due">{m.queue.sorts.due}</option>
        </Select>
      </div>
      {hasExplicitFilters(query) && (
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setTag('')
            updateQuery(Object.fromEntries(FILTER_KEYS.map((key) => [key, undefined])))
          }}
        >
          {m.queue.clearFilters}
        </button>
      )}
    </details>
  )
}

interface SelectProps {
  label: string
  value: string
  onChange(value: string): void
  children: ReactNode
}

function Select({ label, value, onChange, children }: SelectProps) {
  return (
    <Field label={label}>
      {(control) => (
        <select {...control} value={value} onChange={(event) => onChange(event.target.value)}>
          {children}
        </select>
      )}
    </Field>
  )
}
