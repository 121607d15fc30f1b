// The agent workspace: queues with counts, filters and search kept in the URL (so a view can
// be shared and survives a reload), and the ticket list.
import { type FormEvent, type ReactNode, useEffect, useState } from 'react'
import { tickets } from '../api/endpoints.ts'
import type { TicketFilters } from '../api/types.ts'
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../api/types.ts'
import { useLoad, usePaged } from '../hooks/data.ts'
import { Link, navigate, useLocation } from '../router/router.tsx'
import { TicketList } from '../tickets/TicketList.tsx'
import { Field } from '../ui/Field.tsx'
import { humanize } from '../ui/format.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { useDirectory } from './directory.ts'
import { currentView, effectiveFilters, FILTER_KEYS, type FilterKey, QUEUES } from './queues.ts'

export function QueuePage() {
  const { query } = useLocation()
  const directory = useDirectory()
  const filters = effectiveFilters(query)
  const view = currentView(query, (id) =>
    directory.result.state === 'ready'
      ? directory.result.data.agents.find((agent) => agent.id === id)?.name
      : undefined,
  )
  const key = JSON.stringify(filters)
  const list = usePaged(key, (cursor, signal) => tickets.list(filters, cursor, signal))
  const searching = Boolean(query.get('q'))

  return (
    <div className="workspace">
      <QueueNav current={view.queueId} refreshKey={key} />
      <section className="workspace-main" aria-labelledby="queue-heading">
        <div className="page-title-row">
          <PageHeading id="queue-heading" title={view.title} />
          <ViewCount filters={filters} refreshKey={key} />
        </div>
        <SearchBox />
        <FilterBar />
        <TicketList
          list={list}
          audience="agent"
          emptyTitle={searching ? 'No tickets match your search' : 'No tickets here'}
          emptyHint={hasExplicitFilters(query) ? 'Try removing a filter.' : undefined}
        />
      </section>
    </div>
  )
}

/** How many tickets the filters on screen select: all of them, not just the loaded page. */
function ViewCount({ filters, refreshKey }: { filters: TicketFilters; refreshKey: string }) {
  const count = useLoad(`view-count:${refreshKey}`, (signal) =>
    tickets.count({ ...filters, sort: undefined }, signal),
  )
  if (count.result.state !== 'ready') return null
  const { count: total } = count.result.data
  return (
    <p className="view-count">
      {total} {total === 1 ? 'ticket' : 'tickets'}
    </p>
  )
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

function QueueNav({ current, refreshKey }: { current?: string; refreshKey: string }) {
  const counts = useLoad(`counts:${refreshKey}`, (signal) =>
    Promise.all(QUEUES.map((queue) => tickets.count(queue.filters, signal).then((c) => c.count))),
  )
  return (
    <nav className="queue-nav" aria-label="Queues">
      <ul>
        {QUEUES.map((queue, index) => (
          <li key={queue.id}>
            <Link
              to={`/tickets?queue=${queue.id}`}
              aria-current={queue.id === current ? 'page' : undefined}
            >
              <span>{queue.label}</span>
              <span className="count">
                {counts.result.state === 'ready' ? (
                  <>
                    {counts.result.data[index]}
                    <span className="visually-hidden"> tickets</span>
                  </>
                ) : (
                  <span aria-hidden="true">·</span>
                )}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
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
        <label htmlFor="ticket-search" className="visually-hidden">
          Search tickets
        </label>
        <input
          id="ticket-search"
          type="search"
          placeholder="Search subjects and messages"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="button">
          Search
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
            Clear search
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
      <summary>Filters</summary>
      <div className="filter-grid">
        <Select label="Status" value={value('status')} onChange={set('status')}>
          <option value="">Queue default</option>
          {TICKET_STATUSES.map((status) => (
            <option key={status} value={status}>
              {humanize(status)}
            </option>
          ))}
        </Select>
        <Select label="Priority" value={value('priority')} onChange={set('priority')}>
          <option value="">Any</option>
          {TICKET_PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {humanize(priority)}
            </option>
          ))}
        </Select>
        <Select label="Assignee" value={value('assigneeId')} onChange={set('assigneeId')}>
          <option value="">Queue default</option>
          <option value="me">Me</option>
          <option value="none">Unassigned</option>
          {ready?.agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
            </option>
          ))}
        </Select>
        <Select label="Team" value={value('teamId')} onChange={set('teamId')}>
          <option value="">Any</option>
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
          <label htmlFor="filter-tag">Tag</label>
          <input
            id="filter-tag"
            value={tag}
            onChange={(event) => setTag(event.target.value)}
            onBlur={() => set('tag')(tag.trim())}
          />
        </form>
        <Select label="Sort by" value={value('sort')} onChange={set('sort')}>
          <option value="">{query.get('q') ? 'Best match' : 'Last updated'}</option>
          <option value="created">Newest</option>
          <option value="priority">Priority</option>
          <option value="due">Due soonest</option>
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
          Clear filters
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
