// Personal API tokens: create one (shown once, to copy), see which exist, revoke.
import { type FormEvent, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { auth } from '../api/endpoints.ts'
import type { ApiToken } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useLoad } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { CopyField } from '../ui/CopyField.tsx'
import { ConfirmDialog } from '../ui/Dialog.tsx'
import { Field } from '../ui/Field.tsx'
import { formatDateTime, formatRelative } from '../ui/format.ts'
import { EmptyState, ErrorState, FormError, Loading, StatusLine } from '../ui/States.tsx'
import { useRecentPassword } from './RecentPassword.tsx'

export function TokensSection() {
  const tokens = useLoad('tokens', () => auth.tokens())
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null)
  const [revoking, setRevoking] = useState<ApiToken | null>(null)
  const [status, setStatus] = useState('')

  return (
    <section className="panel" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">{m.account.tokens.heading}</h2>
      <p>{m.account.tokens.what}</p>
      <CreateTokenForm
        onCreated={(token) => {
          setCreated(token)
          setStatus('')
          tokens.reload()
        }}
      />
      {created && (
        <div className="notice notice-success">
          <p>{m.account.tokens.created(created)}</p>
          <CopyField label={m.account.tokens.newToken} value={created.token} />
          <button type="button" className="button" onClick={() => setCreated(null)}>
            {m.account.tokens.copied}
          </button>
        </div>
      )}
      {status && <StatusLine message={status} />}
      <h3>{m.account.tokens.yours}</h3>
      {tokens.result.state === 'loading' && <Loading label={m.account.tokens.loading} />}
      {tokens.result.state === 'error' && (
        <ErrorState error={tokens.result.error} onRetry={tokens.reload} />
      )}
      {tokens.result.state === 'ready' &&
        (tokens.result.data.length === 0 ? (
          <EmptyState title={m.account.tokens.none} />
        ) : (
          <ul className="token-list">
            {tokens.result.data.map((token) => (
              <li key={token.id}>
                <span className="token-name">{token.name}</span>
                <span className="muted">
                  {m.account.tokens.createdAt({ date: formatDateTime(token.createdAt) })}
                  {token.expiresAt
                    ? m.account.tokens.expires({ date: formatDateTime(token.expiresAt) })
                    : m.account.tokens.noExpiry}
                  {token.lastUsedAt
                    ? m.account.tokens.lastUsed({ when: formatRelative(token.lastUsedAt) })
                    : m.account.tokens.neverUsed}
                </span>
                <button
                  type="button"
                  className="button button-small button-danger"
                  onClick={() => setRevoking(token)}
                >
                  {m.account.tokens.revoke}
                  <span className="visually-hidden"> {token.name}</span>
                </button>
              </li>
            ))}
          </ul>
        ))}
      <RevokeDialog
        token={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={(token) => {
          setRevoking(null)
          setStatus(m.account.tokens.revoked(token))
          tokens.update((current) => current.filter((other) => other.id !== token.id))
        }}
      />
    </section>
  )
}

function CreateTokenForm({
  onCreated,
}: {
  onCreated(token: { name: string; token: string }): void
}) {
  const [name, setName] = useState('')
  const [expires, setExpires] = useState('')
  const { busy, error, run, setError } = useAction()
  const { confirmingPassword, dialog } = useRecentPassword()
  const fieldError = (path: string) =>
    error instanceof ApiError ? error.fieldMessage(path) : undefined

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!name.trim()) {
      setError(new Error(m.account.tokens.nameNeeded))
      return
    }
    void run(async () => {
      // The end of the chosen day, in the person's time zone.
      const expiresAt = expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined
      const { token } = await confirmingPassword(() =>
        auth.createToken({ name: name.trim(), expiresAt }),
      )
      onCreated({ name: name.trim(), token })
      setName('')
      setExpires('')
    })
  }

  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
  return (
    <>
      <form className="form form-row" onSubmit={submit} noValidate>
        <Field label={m.account.tokens.name} error={fieldError('name')}>
          {(control) => (
            <input
              {...control}
              required
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <Field label={m.account.tokens.expiresField} error={fieldError('expiresAt')}>
          {(control) => (
            <input
              {...control}
              type="date"
              min={tomorrow}
              value={expires}
              onChange={(event) => setExpires(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? m.account.tokens.creating : m.account.tokens.create}
        </button>
        <FormError error={error} fields={['name', 'expiresAt']} />
      </form>
      {dialog}
    </>
  )
}

function RevokeDialog({
  token,
  onClose,
  onRevoked,
}: {
  token: ApiToken | null
  onClose(): void
  onRevoked(token: ApiToken): void
}) {
  const revoke = async () => {
    if (!token) return
    await auth.revokeToken(token.id)
    onRevoked(token)
  }
  return (
    <ConfirmDialog
      open={token !== null}
      title={m.account.tokens.revokeTitle}
      confirmLabel={m.account.tokens.revokeConfirm}
      destructive
      onConfirm={revoke}
      onCancel={onClose}
    >
      <p>{m.account.tokens.revokeWarning({ name: token?.name ?? '' })}</p>
    </ConfirmDialog>
  )
}
