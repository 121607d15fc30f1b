// Saved views: the filters, sort and search of the queue page kept under a name, each agent's
// own. The navigation lists them under "Your views"; the queue page saves the list on screen
// as one, and renames or deletes the one it shows.
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { savedViews } from '../api/endpoints.ts'
import type { SavedView } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { type Loaded, useLoad } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { Link, navigate } from '../router/router.tsx'
import { ConfirmDialog, Dialog } from '../ui/Dialog.tsx'
import { Field } from '../ui/Field.tsx'
import { FormError, InlineError, StatusLine } from '../ui/States.tsx'
import { SAVED_VIEW_PARAM, savedViewPath } from './queues.ts'

/** The signed-in agent's views, by name; live news does not change them, so no refresh. */
export function useSavedViews(): Loaded<SavedView[]> {
  return useLoad('saved-views', (signal) => savedViews.list(signal))
}

/** The "Your views" part of the queue navigation. */
export function SavedViewLinks({
  views,
  currentId,
}: {
  views: Loaded<SavedView[]>
  currentId: string | undefined
}) {
  const { result } = views
  return (
    <>
      <h2 className="queue-nav-heading">{m.savedViews.heading}</h2>
      {result.state === 'error' && <InlineError error={result.error} />}
      {result.state === 'ready' &&
        (result.data.length === 0 ? (
          <p className="muted queue-nav-hint">{m.savedViews.none}</p>
        ) : (
          <ul>
            {result.data.map((view) => (
              <li key={view.id}>
                <Link
                  to={savedViewPath(view)}
                  aria-current={view.id === currentId ? 'page' : undefined}
                >
                  <span>{view.name}</span>
                </Link>
              </li>
            ))}
          </ul>
        ))}
    </>
  )
}

/**
 * Save view (the list on screen, under a new name), and Rename or Delete for the saved view
 * the page shows. `query` is the list's query as a view keeps it (queues.ts viewQueryOf).
 */
export function SavedViewActions({
  views,
  current,
  query,
}: {
  views: Loaded<SavedView[]>
  current: SavedView | undefined
  query: string
}) {
  const [editing, setEditing] = useState<'new' | 'rename' | null>(null)
  const [deleting, setDeleting] = useState<SavedView | null>(null)
  const [status, setStatus] = useState('')
  const saveButton = useRef<HTMLButtonElement>(null)
  const [justDeleted, setJustDeleted] = useState(false)
  // The dialog gives focus back to the Delete button that opened it, which went with the
  // view: focus moves to Save view instead of falling to the start of the page. This runs
  // after the dialog's own effect has closed it (children's effects run first).
  useEffect(() => {
    if (!justDeleted || deleting) return
    setJustDeleted(false)
    saveButton.current?.focus()
  }, [justDeleted, deleting])

  const saved = (view: SavedView, message: string) => {
    views.update((list) => sortedByName([...list.filter((item) => item.id !== view.id), view]))
    setEditing(null)
    setStatus(message)
    navigate(savedViewPath(view), { replace: true })
  }
  const remove = async () => {
    if (!deleting) return
    await savedViews.remove(deleting.id)
    views.update((list) => list.filter((item) => item.id !== deleting.id))
    setDeleting(null)
    setJustDeleted(true)
    setStatus(m.savedViews.deleted(deleting))
    leaveSavedView()
  }

  return (
    <div className="button-row saved-view-actions">
      <button
        ref={saveButton}
        type="button"
        className="button button-small"
        onClick={() => setEditing('new')}
      >
        {m.savedViews.save}
      </button>
      {current && (
        <>
          <button
            type="button"
            className="button button-small"
            onClick={() => setEditing('rename')}
          >
            {m.savedViews.rename}
          </button>
          <button
            type="button"
            className="button button-small button-danger"
            onClick={() => setDeleting(current)}
          >
            {m.savedViews.delete}
          </button>
        </>
      )}
      {status && <StatusLine message={status} />}
      <Dialog
        open={editing !== null}
        title={editing === 'rename' ? m.savedViews.rename : m.savedViews.save}
        onCancel={() => setEditing(null)}
      >
        {editing === 'rename' && current ? (
          <ViewNameForm
            initialName={current.name}
            submitLabel={m.savedViews.rename}
            submit={(name) => savedViews.update(current.id, { name })}
            onSaved={(view) => saved(view, m.savedViews.renamed(view))}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <ViewNameForm
            initialName=""
            hint={m.savedViews.saveHint}
            submitLabel={m.savedViews.save}
            submit={(name) => savedViews.create({ name, query })}
            onSaved={(view) => saved(view, m.savedViews.saved(view))}
            onCancel={() => setEditing(null)}
          />
        )}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title={m.savedViews.delete}
        confirmLabel={m.savedViews.delete}
        destructive
        onConfirm={remove}
        onCancel={() => setDeleting(null)}
      >
        <p>{m.savedViews.deleteQuestion({ name: deleting?.name ?? '' })}</p>
      </ConfirmDialog>
    </div>
  )
}

const FIELDS = ['name'] as const

/** The name of a new view or a renamed one; the API says when it is taken or one too many. */
function ViewNameForm(props: {
  initialName: string
  hint?: string
  submitLabel: string
  submit(name: string): Promise<SavedView>
  onSaved(view: SavedView): void
  onCancel(): void
}) {
  const [name, setName] = useState(props.initialName)
  const { busy, error, run } = useAction()
  const nameError = error instanceof ApiError ? error.fieldMessage('name') : undefined

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void run(async () => props.onSaved(await props.submit(name)))
  }
  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field label={m.common.name} hint={props.hint} error={nameError}>
        {(control) => (
          <input
            {...control}
            value={name}
            maxLength={80}
            autoComplete="off"
            onChange={(event) => setName(event.target.value)}
          />
        )}
      </Field>
      <FormError error={error} fields={FIELDS} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={props.onCancel}>
          {m.common.cancel}
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? m.common.saving : props.submitLabel}
        </button>
      </div>
    </form>
  )
}

/** As the API lists them: by name, whatever the case. */
function sortedByName(views: SavedView[]): SavedView[] {
  return views.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))
}

/** The same list without the view's name: its heading falls back to what the filters select. */
function leaveSavedView(): void {
  const params = new URLSearchParams(window.location.search)
  params.delete(SAVED_VIEW_PARAM)
  navigate(`/tickets?${params}`, { replace: true })
}
