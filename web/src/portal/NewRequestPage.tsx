// A customer asks for help: subject, description and files. The ticket is created first,
// then the files are attached to its first message; a failed upload can be retried without
// creating the request twice.
import { type FormEvent, useRef, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { tickets } from '../api/endpoints.ts'
import type { Ticket, TicketPriority } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useCustomerPriorities, useMaxAttachmentBytes } from '../hooks/publicSettings.ts'
import { messages as m } from '../i18n/messages.ts'
import { Link, navigate } from '../router/router.tsx'
import { AttachmentPicker, useAttachmentQueue } from '../tickets/AttachmentPicker.tsx'
import { Field } from '../ui/Field.tsx'
import { PageHeading } from '../ui/PageHeading.tsx'
import { InlineError } from '../ui/States.tsx'

export function NewRequestPage() {
  const maxBytes = useMaxAttachmentBytes()
  const queue = useAttachmentQueue(maxBytes)
  const [subject, setSubject] = useState('')
  const [body, setBody] = useState('')
  const offered = useCustomerPriorities()
  const [chosen, setPriority] = useState<TicketPriority>('normal')
  // Only what the admins offer customers; normal when offered, else the lowest offered.
  const priority = offered.includes(chosen)
    ? chosen
    : offered.includes('normal')
      ? 'normal'
      : (offered[0] ?? 'normal')
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
        setError(new Error(m.portal.uploadsFailed({ number: ticket.number })))
        return
      }
    }
    navigate(`/requests/${ticket.id}`)
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!created && (!subject.trim() || !body.trim())) {
      setError(new Error(m.portal.subjectAndBodyNeeded))
      return
    }
    if (queue.blocked) {
      setError(new Error(m.common.removeBlockedFiles))
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
        <Link to="/requests">{m.portal.backToRequests}</Link>
      </p>
      <PageHeading title={m.portal.newRequest} />
      <form className="form" onSubmit={submit} noValidate>
        <Field label={m.portal.subject} error={fieldError('subject')}>
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
          label={m.portal.howCanWeHelp}
          hint={m.portal.howCanWeHelpHint}
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
        <Field label={m.portal.priority} error={fieldError('priority')}>
          {(control) => (
            <select
              {...control}
              disabled={locked}
              value={priority}
              onChange={(event) => setPriority(event.target.value as TicketPriority)}
            >
              {offered.map((value) => (
                <option key={value} value={value}>
                  {m.common.priorities[value]}
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
              {m.common.continueWithoutFailed}
            </Link>
          )}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? m.common.sending : created ? m.common.retryUpload : m.portal.submitRequest}
          </button>
        </div>
      </form>
    </section>
  )
}
