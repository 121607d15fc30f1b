// Writing on a ticket: a public reply, or (agents only) an internal note, with attachments.
import { type FormEvent, useId, useRef, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { tickets } from '../api/endpoints.ts'
import type { Message } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useMaxAttachmentBytes } from '../hooks/publicSettings.ts'
import { InlineError, StatusLine } from '../ui/States.tsx'
import { AttachmentPicker, useAttachmentQueue } from './AttachmentPicker.tsx'

export interface ComposerProps {
  ticketId: string
  /** Agents may write internal notes, which customers never see. */
  allowInternal: boolean
  onSent(message: Message): void
  /** The API refused the message because the ticket was closed meanwhile (409). */
  onClosed(): void
}

export function Composer({ ticketId, allowInternal, onSent, onClosed }: ComposerProps) {
  const maxBytes = useMaxAttachmentBytes()
  const queue = useAttachmentQueue(maxBytes)
  const [body, setBody] = useState('')
  const [internal, setInternal] = useState(false)
  const { busy, error, run, setError } = useAction()
  const [status, setStatus] = useState('')
  /** A message that was sent while some of its attachments still need to be uploaded. */
  const [sent, setSent] = useState<Message | null>(null)
  /** One key per message: a double click or a retry after a lost answer posts it once. */
  const submission = useRef(crypto.randomUUID())
  const bodyId = useId()

  const kind = internal ? 'note' : 'reply'

  const finish = (message: Message) => {
    submission.current = crypto.randomUUID()
    onSent(message)
    setSent(null)
    queue.clear()
    setStatus(message.internal ? 'Internal note added.' : 'Reply sent.')
  }

  const uploadFor = async (message: Message) => {
    const attachments = await queue.uploadAll(ticketId, message.id)
    const withAttachments = { ...message, attachments }
    if (attachments.length === queue.files.length) finish(withAttachments)
    else {
      setSent(withAttachments)
      setError(
        new Error(`The ${kind} was sent, but some files did not upload. Retry or remove them.`),
      )
    }
  }

  const post = async () => {
    try {
      return await tickets.addMessage(ticketId, { body, internal }, submission.current)
    } catch (failure) {
      if (!(failure instanceof ApiError && failure.status === 409)) throw failure
      // Someone closed it while this was being written: the draft stays for a reopen.
      onClosed()
      throw new Error(`This ticket was closed meanwhile, so the ${kind} was not sent.`)
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!sent && !body.trim()) {
      setError(new Error(`Write a ${kind} first.`))
      return
    }
    if (queue.blocked) {
      setError(new Error('Remove the files that cannot be attached first.'))
      return
    }
    setStatus('')
    void run(async () => {
      const message = sent ?? (await post())
      if (!sent) setBody('')
      await uploadFor(message)
    })
  }

  return (
    <form
      className={`composer${internal ? ' composer-internal' : ''}`}
      onSubmit={submit}
      aria-label={allowInternal ? 'Reply or add a note' : 'Reply'}
    >
      {allowInternal && (
        <fieldset className="composer-kind" disabled={busy || sent !== null}>
          <legend className="visually-hidden">Message type</legend>
          <label>
            <input type="radio" checked={!internal} onChange={() => setInternal(false)} /> Public
            reply
          </label>
          <label>
            <input type="radio" checked={internal} onChange={() => setInternal(true)} /> Internal
            note
          </label>
        </fieldset>
      )}
      <label htmlFor={bodyId} className={allowInternal ? 'visually-hidden' : undefined}>
        {internal ? 'Internal note (only agents can see it)' : 'Your reply'}
      </label>
      <textarea
        id={bodyId}
        rows={5}
        value={body}
        disabled={busy || sent !== null}
        placeholder={internal ? 'Only agents will see this note' : 'Write your reply'}
        onChange={(event) => setBody(event.target.value)}
      />
      <AttachmentPicker queue={queue} maxBytes={maxBytes} disabled={busy} />
      <InlineError error={error} />
      {status && <StatusLine message={status} />}
      <div className="composer-actions">
        {sent && (
          <button type="button" className="button" onClick={() => finish(sent)} disabled={busy}>
            Continue without the failed files
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy
            ? 'Sending…'
            : sent
              ? 'Retry upload'
              : internal
                ? 'Add internal note'
                : 'Send reply'}
        </button>
      </div>
    </form>
  )
}
