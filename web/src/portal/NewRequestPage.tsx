// A customer asks for help: subject, description and files. The ticket is created first,
// then the files are attached to its first message; a failed upload can be retried without
// creating the request twice.
import { type FormEvent, useRef, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { tickets } from '../api/endpoints.ts'
import { TICKET_PRIORITIES, type Ticket, type TicketPriority } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useMaxAttachmentBytes } from '../hooks/publicSettings.ts'
import { Link, navigate } from '../router/router.tsx'
import { AttachmentPicker, useAttachmentQueue } from '../tickets/AttachmentPicker.tsx'
import { Field } from '../ui/Field.tsx'
import { humanize } from '../ui/format.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import { InlineError } from '../ui/States.tsx'

export function NewRequestPage() {
  const maxBytes = useMaxAttachmentBytes()
  const queue = useAttachmentQueue(maxBytes)
  const [subject, setSubject] = useState('')
  const [body, setBody] = useState('')
  const [priority, setPriority] = useState<TicketPriority>('normal')
  const { busy, error, run, setError } = useAction()
  const [created, setCreated] = useState<Ticket | null>(null)
  /** One key for this request: a double click or a retry after a lost answer files it once. */
  const submission = useRef(crypto.randomUUID())
  const fieldError = (path: string) =>
    error instanceof ApiError ? error.fieldMessage(path) : undefined

  const attachTo = async (ticket: Ticket) => {
    if (queue.files.length > 0) {
      const first = await tickets.messages(ticket.id)
      const attached = await queue.uploadAll(ticket.id, first.items[0]?.id)
      if (attached.length < queue.files.length) {
        setCreated(ticket)
        setError(
          new Error(
            `Request #${ticket.number} was created, but some files did not upload. Retry, or remove them and continue.`,
          ),
        )
        return
      }
    }
    navigate(`/requests/${ticket.id}`)
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!created && (!subject.trim() || !body.trim())) {
      setError(new Error('Give your request a subject and describe what you need.'))
      return
    }
    if (queue.blocked) {
      setError(new Error('Remove the files that cannot be attached first.'))
      return
    }
    void run(async () => {
      await attachTo(
        created ??
          (await tickets.create({ subject: subject.trim(), body, priority }, submission.current)),
      )
    })
  }

  const locked = busy || created !== null
  return (
    <section className="page page-narrow">
      <p className="back-link">
        <Link to="/requests">← My requests</Link>
      </p>
      <PageHeading title="New request" />
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Subject" error={fieldError('subject')}>
          {(control) => (
            <input
              {...control}
              required
              maxLength={300}
              disabled={locked}
              value={subject}
              onChange={(event) => setSubject(event.target.value)}
            />
          )}
        </Field>
        <Field
          label="How can we help?"
          hint="Describe what happened and what you expected."
          error={fieldError('body')}
        >
          {(control) => (
            <textarea
              {...control}
              required
              rows={8}
              disabled={locked}
              value={body}
              onChange={(event) => setBody(event.target.value)}
            />
          )}
        </Field>
        <Field label="Priority" error={fieldError('priority')}>
          {(control) => (
            <select
              {...control}
              disabled={locked}
              value={priority}
              onChange={(event) => setPriority(event.target.value as TicketPriority)}
            >
              {TICKET_PRIORITIES.map((value) => (
                <option key={value} value={value}>
                  {humanize(value)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <AttachmentPicker queue={queue} maxBytes={maxBytes} disabled={busy} />
        <InlineError error={error} />
        <div className="form-actions">
          {created && (
            <Link to={`/requests/${created.id}`} className="button">
              Continue without the failed files
            </Link>
          )}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Sending…' : created ? 'Retry upload' : 'Submit request'}
          </button>
        </div>
      </form>
    </section>
  )
}
