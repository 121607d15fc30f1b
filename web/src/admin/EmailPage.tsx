// Admin → Email: who mail comes from and its signature, the SMTP server in use (or that
// there is none, and mail waits in the outbox), a test mail, the outbox with its dead
// letters, and the mailboxes read into tickets.
import { type FormEvent, useEffect, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { mail } from '../api/endpoints.ts'
import type { MailSettings } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { type Loaded, useLoad } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { Field } from '../ui/Field.tsx'
import { PageHeading } from '../ui/PageHeading.tsx'
import { ErrorState, FormError, Loading, StatusLine } from '../ui/States.tsx'
import { ChannelsSection } from './ChannelsSection.tsx'
import { OutboxSection } from './OutboxSection.tsx'

export function EmailPage() {
  const settings = useLoad('mail-settings', (signal) => mail.settings(signal))
  return (
    <section className="page">
      <PageHeading title={m.email.heading} />
      {settings.result.state === 'loading' && <Loading />}
      {settings.result.state === 'error' && (
        <ErrorState error={settings.result.error} onRetry={settings.reload} />
      )}
      {settings.result.state === 'ready' && (
        <>
          <ServerSection settings={settings.result.data} />
          <SenderSection settings={settings} />
          <TestMailSection onSent={settings.reload} />
        </>
      )}
      <OutboxSection />
      <ChannelsSection />
    </section>
  )
}

function ServerSection({ settings }: { settings: MailSettings }) {
  const { smtp, outbox } = settings
  return (
    <section className="panel" aria-labelledby="smtp-heading">
      <h2 id="smtp-heading">{m.email.server}</h2>
      {smtp ? (
        <p>
          {(smtp.authenticated ? m.email.mailGoesToSignedIn : m.email.mailGoesTo)({
            server: (
              <strong>
                {smtp.host}:{smtp.port}
              </strong>
            ),
            security: m.email.security[smtp.security],
          })}
        </p>
      ) : (
        <p className="notice">{m.email.noServer}</p>
      )}
      <p className="muted">{m.email.outboxCounts(outbox)}</p>
    </section>
  )
}

function SenderSection({ settings }: { settings: Loaded<MailSettings> }) {
  const loaded = settings.result.state === 'ready' ? settings.result.data : undefined
  const [senderName, setSenderName] = useState('')
  const [senderAddress, setSenderAddress] = useState('')
  const [signature, setSignature] = useState('')
  const [windowSeconds, setWindowSeconds] = useState('0')
  const [status, setStatus] = useState('')
  const { busy, error, run } = useAction()
  const fieldError = (path: string) =>
    error instanceof ApiError ? error.fieldMessage(path) : undefined

  useEffect(() => {
    if (!loaded) return
    setSenderName(loaded.senderName)
    setSenderAddress(loaded.senderAddress)
    setSignature(loaded.signature)
    setWindowSeconds(String(loaded.notificationWindowSeconds))
  }, [loaded])

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setStatus('')
    void run(async () => {
      const saved = await mail.saveSettings({
        senderName: senderName.trim(),
        senderAddress: senderAddress.trim(),
        signature: signature.trim(),
        notificationWindowSeconds: Number(windowSeconds),
      })
      settings.update(() => saved)
      setStatus(m.email.saved)
    })
  }

  return (
    <section className="panel" aria-labelledby="sender-heading">
      <h2 id="sender-heading">{m.email.sender}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <Field label={m.email.senderName} error={fieldError('senderName')}>
          {(control) => (
            <input
              {...control}
              value={senderName}
              onChange={(event) => setSenderName(event.target.value)}
            />
          )}
        </Field>
        <Field label={m.email.senderAddress} error={fieldError('senderAddress')}>
          {(control) => (
            <input
              {...control}
              type="email"
              value={senderAddress}
              onChange={(event) => setSenderAddress(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={m.email.signature}
          hint={m.email.signatureHint}
          error={fieldError('signature')}
        >
          {(control) => (
            <textarea
              {...control}
              rows={3}
              value={signature}
              onChange={(event) => setSignature(event.target.value)}
            />
          )}
        </Field>
        <Field
          label={m.email.window}
          hint={m.email.windowHint}
          error={fieldError('notificationWindowSeconds')}
        >
          {(control) => (
            <input
              {...control}
              type="number"
              min={0}
              max={3600}
              value={windowSeconds}
              onChange={(event) => setWindowSeconds(event.target.value)}
            />
          )}
        </Field>
        <FormError
          error={error}
          fields={['senderName', 'senderAddress', 'signature', 'notificationWindowSeconds']}
        />
        {status && <StatusLine message={status} />}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? m.common.saving : m.email.save}
        </button>
      </form>
    </section>
  )
}

function TestMailSection({ onSent }: { onSent(): void }) {
  const [to, setTo] = useState('')
  const [status, setStatus] = useState('')
  const { busy, error, run } = useAction()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setStatus('')
    void run(async () => {
      await mail.sendTest(to.trim())
      setStatus(m.email.testQueued({ email: to.trim() }))
      onSent()
    })
  }
  return (
    <section className="panel" aria-labelledby="test-mail-heading">
      <h2 id="test-mail-heading">{m.email.test}</h2>
      <form className="form-row" onSubmit={submit} noValidate>
        <Field
          label={m.email.to}
          error={error instanceof ApiError ? error.fieldMessage('to') : undefined}
        >
          {(control) => (
            <input
              {...control}
              type="email"
              required
              value={to}
              onChange={(event) => setTo(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button" disabled={busy}>
          {busy ? m.common.sending : m.email.sendTest}
        </button>
      </form>
      <FormError error={error} fields={['to']} />
      {status && <StatusLine message={status} />}
    </section>
  )
}
