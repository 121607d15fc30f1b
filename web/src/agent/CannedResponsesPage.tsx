// Canned responses, managed by the people who send them: every agent keeps their own, admins
// also keep the shared ones every agent sees. The composer inserts them by `::shortcut`.
import { type FormEvent, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { cannedResponses } from '../api/endpoints.ts'
import type { CannedResponse } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useLoad } from '../hooks/data.ts'
import { useSession } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { ConfirmDialog, Dialog } from '../ui/Dialog.tsx'
import { Field } from '../ui/Field.tsx'
import { PageHeading } from '../ui/PageHeading.tsx'
import { EmptyState, ErrorState, FormError, Loading, StatusLine } from '../ui/States.tsx'

const FIELDS = ['shortcut', 'title', 'body'] as const

export default function CannedResponsesPage() {
  const { user } = useSession()
  const isAdmin = user.role === 'admin'
  const list = useLoad('canned-responses', (signal) => cannedResponses.list(signal))
  const [status, setStatus] = useState('')
  const [editing, setEditing] = useState<CannedResponse | null>(null)
  const [deleting, setDeleting] = useState<CannedResponse | null>(null)
  const saved = (message: string) => {
    setStatus(message)
    list.reload()
  }

  const section = (title: string, items: CannedResponse[], editable: boolean, empty: string) => (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="team-list">
          {items.map((response) => (
            <li key={response.id} className="team-row">
              <div>
                <p className="team-name">
                  <span className="canned-shortcut">::{response.shortcut}</span> {response.title}
                </p>
                <p className="muted canned-preview">{response.body}</p>
              </div>
              {editable && (
                <div className="button-row">
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setEditing(response)}
                  >
                    {m.canned.edit}
                    <span className="visually-hidden"> ::{response.shortcut}</span>
                  </button>
                  <button
                    type="button"
                    className="button button-small button-danger"
                    onClick={() => setDeleting(response)}
                  >
                    {m.common.delete}
                    <span className="visually-hidden"> ::{response.shortcut}</span>
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )

  return (
    <section className="page page-narrow">
      <PageHeading title={m.canned.heading} />
      <p>{m.canned.intro({ keys: <kbd>::</kbd> })}</p>
      <section className="panel" aria-labelledby="new-response-heading">
        <h2 id="new-response-heading">{m.canned.newResponse}</h2>
        <ResponseForm
          allowShared={isAdmin}
          onSaved={(response) => saved(m.canned.added(response))}
        />
      </section>
      {status && <StatusLine message={status} />}
      {list.result.state === 'loading' && <Loading label={m.canned.loading} />}
      {list.result.state === 'error' && (
        <ErrorState error={list.result.error} onRetry={list.reload} />
      )}
      {list.result.state === 'ready' &&
        (list.result.data.length === 0 ? (
          <EmptyState title={m.canned.empty}>
            <p>{m.canned.emptyHint}</p>
          </EmptyState>
        ) : (
          <>
            {section(
              m.canned.yours,
              list.result.data.filter((response) => !response.shared),
              true,
              m.canned.noneOfYours,
            )}
            {section(
              isAdmin ? m.canned.sharedForAdmins : m.canned.sharedForAgents,
              list.result.data.filter((response) => response.shared),
              isAdmin,
              m.canned.noneShared,
            )}
          </>
        ))}
      <Dialog
        open={editing !== null}
        title={m.canned.editTitle({ shortcut: editing?.shortcut ?? '' })}
        onCancel={() => setEditing(null)}
      >
        {editing && (
          <ResponseForm
            key={editing.id}
            editing={editing}
            allowShared={false}
            onCancel={() => setEditing(null)}
            onSaved={(response) => {
              setEditing(null)
              saved(m.canned.saved(response))
            }}
          />
        )}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title={m.canned.deleteTitle}
        confirmLabel={m.canned.deleteConfirm}
        destructive
        onConfirm={async () => {
          if (!deleting) return
          await cannedResponses.remove(deleting.id)
          setDeleting(null)
          saved(m.canned.deleted(deleting))
        }}
        onCancel={() => setDeleting(null)}
      >
        <p>
          {m.canned.deleteQuestion({
            shortcut: deleting?.shortcut ?? '',
            title: deleting?.title ?? '',
          })}
          {deleting?.shared ? m.canned.deleteShared : ''}
        </p>
      </ConfirmDialog>
    </section>
  )
}

/** A placeholder of the API's, shown until the API has listed them all. */
const PLACEHOLDER_EXAMPLE = '{{customer.name}}'

/** Adds a response, or changes `editing`; the API checks the shortcut and placeholders. */
function ResponseForm({
  editing,
  allowShared,
  onSaved,
  onCancel,
}: {
  editing?: CannedResponse
  allowShared: boolean
  onSaved(response: CannedResponse): void
  onCancel?(): void
}) {
  const [shortcut, setShortcut] = useState(editing?.shortcut ?? '')
  const [title, setTitle] = useState(editing?.title ?? '')
  const [body, setBody] = useState(editing?.body ?? '')
  const [shared, setShared] = useState(false)
  const { busy, error, run } = useAction()
  const placeholders = useLoad('canned-placeholders', (signal) =>
    cannedResponses.placeholders(signal),
  )
  const fieldError = (field: (typeof FIELDS)[number]) =>
    error instanceof ApiError ? error.fieldMessage(field) : undefined

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void run(async () => {
      const input = { shortcut, title, body }
      const response = editing
        ? await cannedResponses.update(editing.id, input)
        : await cannedResponses.create({ ...input, shared })
      if (!editing) {
        setShortcut('')
        setTitle('')
        setBody('')
      }
      onSaved(response)
    })
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field label={m.canned.shortcut} hint={m.canned.shortcutHint} error={fieldError('shortcut')}>
        {(control) => (
          <input
            {...control}
            value={shortcut}
            autoComplete="off"
            onChange={(event) => setShortcut(event.target.value)}
          />
        )}
      </Field>
      <Field label={m.canned.title} error={fieldError('title')}>
        {(control) => (
          <input {...control} value={title} onChange={(event) => setTitle(event.target.value)} />
        )}
      </Field>
      <Field
        label={m.canned.text}
        error={fieldError('body')}
        hint={
          placeholders.result.state === 'ready' ? (
            <>
              {m.canned.placeholdersIntro}{' '}
              {placeholders.result.data.map((item, index) => (
                <span key={item.placeholder}>
                  {index > 0 && ', '}
                  <code>{item.placeholder}</code> ({item.description.toLowerCase()})
                </span>
              ))}
            </>
          ) : (
            m.canned.placeholderHint({ example: PLACEHOLDER_EXAMPLE })
          )
        }
      >
        {(control) => (
          <textarea
            {...control}
            rows={6}
            value={body}
            onChange={(event) => setBody(event.target.value)}
          />
        )}
      </Field>
      {allowShared && (
        <div className="checkbox-field">
          <input
            id="canned-shared"
            type="checkbox"
            checked={shared}
            onChange={(event) => setShared(event.target.checked)}
          />
          <label htmlFor="canned-shared">{m.canned.shared}</label>
        </div>
      )}
      <FormError error={error} fields={FIELDS} />
      <div className="dialog-actions">
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            {m.common.cancel}
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? m.common.saving : editing ? m.canned.save : m.canned.add}
        </button>
      </div>
    </form>
  )
}
