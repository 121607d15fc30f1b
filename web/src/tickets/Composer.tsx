// Writing on a ticket: a public reply, or (agents only) an internal note, with attachments.
// Agents also insert canned responses (`::shortcut`), may send and set the status at once, and
// are warned before sending when someone else added to the ticket while they wrote.
import {
  type FormEvent,
  type Ref,
  useEffect,
  useId,
  useImperativeHandle,
  useRef,
  useState,
} from 'react'
import { ApiError } from '../api/client.ts'
import { tickets } from '../api/endpoints.ts'
import type { Message, Ticket } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useMaxAttachmentBytes } from '../hooks/publicSettings.ts'
import { messages as m } from '../i18n/messages.ts'
import { InlineError, StatusLine } from '../ui/States.tsx'
import { AttachmentPicker, useAttachmentQueue } from './AttachmentPicker.tsx'
import { CollisionWarning } from './CollisionWarning.tsx'
import { type Arrival, othersArrivals, useArrivals } from './useArrivals.ts'
import { useCannedInsertion } from './useCannedInsertion.tsx'

/** The statuses an agent may send with: waiting for the customer, or done. */
const SEND_WITH_STATUS = ['pending', 'solved'] as const satisfies readonly Ticket['status'][]
type SendStatus = (typeof SEND_WITH_STATUS)[number]

export interface ComposerProps {
  ticketId: string
  /**
   * An agent writes: internal notes (which customers never see), canned responses, and
   * sending with a status.
   */
  allowInternal: boolean
  onSent(message: Message): void
  /** The API refused the message because the ticket was closed meanwhile (409). */
  onClosed(): void
  ref?: Ref<ComposerHandle>
  /**
   * Given, the writer is warned before sending when others added messages to the ticket
   * since the draft began: the conversation as shown, and who is writing.
   */
  collisions?: { conversation: readonly Message[]; writerId: string }
  /** Told when a draft begins (text written) and ends (sent or emptied): "replying". */
  onDrafting?(drafting: boolean): void
}

/** For keyboard shortcuts: start writing a reply or (agents) a note. */
export interface ComposerHandle {
  start(kind: 'reply' | 'note'): void
}

export function Composer({
  ticketId,
  allowInternal,
  onSent,
  onClosed,
  ref,
  collisions,
  onDrafting,
}: ComposerProps) {
  const maxBytes = useMaxAttachmentBytes()
  const queue = useAttachmentQueue(maxBytes)
  const [body, setBody] = useState('')
  const [internal, setInternal] = useState(false)
  const { busy, error, run, setError } = useAction()
  const [status, setStatus] = useState('')
  /** A message that was sent while some of its attachments still need to be uploaded. */
  const [sent, setSent] = useState<Message | null>(null)
  /** The status that message was sent with, for the words once its files are in. */
  const [sentWith, setSentWith] = useState<SendStatus | undefined>(undefined)
  /** One key per message: a double click or a retry after a lost answer posts it once. */
  const submission = useRef(crypto.randomUUID())
  const bodyId = useId()
  const textarea = useRef<HTMLTextAreaElement>(null)
  /** The status the pressed button sends with; none for the plain send. */
  const sendStatus = useRef<SendStatus | undefined>(undefined)
  const canned = useCannedInsertion({
    enabled: allowInternal,
    ticketId,
    body,
    setBody,
    textarea,
  })

  const kind = internal ? 'note' : 'reply'
  useImperativeHandle(ref, () => ({
    start(next) {
      if (allowInternal) setInternal(next === 'note')
      textarea.current?.focus()
    },
  }))

  const drafting = body.trim() !== ''
  const told = useRef(onDrafting)
  told.current = onDrafting
  // A draft ends when it is sent or emptied, and when the composer goes (another ticket).
  useEffect(() => {
    if (!drafting) return
    told.current?.(true)
    return () => told.current?.(false)
  }, [drafting])
  const arrivals = useArrivals(ticketId, drafting && collisions !== undefined)
  /** What arrived, shown instead of sending, with the status the send would have set. */
  const [collision, setCollision] = useState<{
    arrived: Arrival[]
    withStatus: SendStatus | undefined
  } | null>(null)

  const finish = (message: Message, withStatus: SendStatus | undefined) => {
    submission.current = crypto.randomUUID()
    onSent(message)
    setSent(null)
    queue.clear()
    const said = m.composer.kinds[message.internal ? 'note' : 'reply']
    setStatus(withStatus ? said.doneAndMarked({ status: withStatus }) : said.done)
  }

  const uploadFor = async (message: Message, withStatus: SendStatus | undefined) => {
    const attachments = await queue.uploadAll(ticketId, message.id)
    const withAttachments = { ...message, attachments }
    if (attachments.length === queue.files.length) finish(withAttachments, withStatus)
    else {
      setSent(withAttachments)
      setSentWith(withStatus)
      setError(new Error(m.composer.kinds[kind].partlyUploaded))
    }
  }

  const post = async (withStatus: SendStatus | undefined) => {
    try {
      return await tickets.addMessage(
        ticketId,
        { body, internal, ...(withStatus ? { status: withStatus } : {}) },
        submission.current,
      )
    } catch (failure) {
      if (!(failure instanceof ApiError && failure.status === 409)) throw failure
      // Someone closed it while this was being written: the draft stays for a reopen.
      onClosed()
      throw new Error(m.composer.kinds[kind].closedMeanwhile)
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const withStatus = sent ? sentWith : sendStatus.current
    sendStatus.current = undefined
    send(withStatus)
  }

  /** `accepted`: arrivals the writer has seen and chose to send after anyway. */
  const send = (withStatus: SendStatus | undefined, accepted: readonly string[] = []) => {
    setCollision(null)
    if (!sent && !body.trim()) {
      setError(new Error(m.composer.kinds[kind].empty))
      return
    }
    if (queue.blocked) {
      setError(new Error(m.common.removeBlockedFiles))
      return
    }
    const unseen = arrivals.ids.filter((id) => !accepted.includes(id))
    const arrived =
      collisions && !sent
        ? othersArrivals(unseen, collisions.conversation, collisions.writerId)
        : []
    if (arrived.length > 0) {
      setCollision({ arrived, withStatus })
      return
    }
    setStatus('')
    void run(async () => {
      const message = sent ?? (await post(withStatus))
      if (!sent) setBody('')
      await uploadFor(message, withStatus)
    })
  }

  return (
    <form
      className={`composer${internal ? ' composer-internal' : ''}`}
      onSubmit={submit}
      aria-label={allowInternal ? m.composer.replyOrNote : m.composer.reply}
    >
      {allowInternal && (
        <fieldset className="composer-kind" disabled={busy || sent !== null}>
          <legend className="visually-hidden">{m.composer.messageType}</legend>
          <label>
            <input type="radio" checked={!internal} onChange={() => setInternal(false)} />{' '}
            {m.composer.publicReply}
          </label>
          <label>
            <input type="radio" checked={internal} onChange={() => setInternal(true)} />{' '}
            {m.composer.internalNote}
          </label>
        </fieldset>
      )}
      <label htmlFor={bodyId} className={allowInternal ? 'visually-hidden' : undefined}>
        {internal ? m.composer.noteLabel : m.composer.replyLabel}
      </label>
      <textarea
        id={bodyId}
        ref={textarea}
        rows={5}
        value={body}
        disabled={busy || sent !== null}
        placeholder={placeholder(internal, allowInternal)}
        {...(allowInternal ? canned.textareaProps : {})}
        onChange={(event) => {
          setBody(event.target.value)
          canned.textareaProps.onSelect()
        }}
      />
      {canned.menu}
      <InlineError error={canned.error} />
      <AttachmentPicker queue={queue} maxBytes={maxBytes} disabled={busy} />
      <InlineError error={error} />
      {collision && (
        <CollisionWarning
          arrivals={collision.arrived}
          onSendAnyway={() => {
            const seen = collision.arrived.map((arrival) => arrival.id)
            arrivals.acknowledge(seen)
            send(collision.withStatus, seen)
          }}
          onReview={() => {
            arrivals.acknowledge(collision.arrived.map((arrival) => arrival.id))
            setCollision(null)
            // To the first of them: focus scrolls it into view and screen readers read it.
            document.getElementById(`message-${collision.arrived[0]?.id}`)?.focus()
          }}
        />
      )}
      {status && <StatusLine message={status} />}
      <div className="composer-actions">
        {sent && (
          <button
            type="button"
            className="button"
            onClick={() => finish(sent, sentWith)}
            disabled={busy}
          >
            {m.common.continueWithoutFailed}
          </button>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? m.common.sending : sent ? m.common.retryUpload : m.composer.kinds[kind].send}
        </button>
        {allowInternal &&
          !sent &&
          SEND_WITH_STATUS.map((withStatus) => (
            <button
              key={withStatus}
              type="submit"
              className="button"
              disabled={busy}
              onClick={() => {
                sendStatus.current = withStatus
              }}
            >
              {m.composer.kinds[kind].sendAndMark({ status: withStatus })}
            </button>
          ))}
      </div>
    </form>
  )
}

function placeholder(internal: boolean, agent: boolean): string {
  if (internal) return m.composer.notePlaceholder
  return agent ? m.composer.agentReplyPlaceholder : m.composer.replyPlaceholder
}
