// Personal API tokens: create one (shown once, to copy), see which exist, revoke.
import { type FormEvent, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { auth } from '../api/endpoints.ts'
import type { ApiToken } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useLoad } from '../hooks/data.ts'
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
      <h2 id="tokens-heading">API tokens</h2>
      <p>
        Scripts and integrations use a token instead of your password. A token acts as you, so keep
        it secret and revoke it when it is no longer needed. Every token is revoked when your
        password is reset, when you turn two-factor sign-in on or off, and when you sign out
        everywhere.
      </p>
      <CreateTokenForm
        onCreated={(token) => {
          setCreated(token)
          setStatus('')
          tokens.reload()
        }}
      />
      {created && (
        <div className="notice notice-success">
          <p>Token “{created.name}” created. Copy it now: it will not be shown again.</p>
          <CopyField label="New API token" value={created.token} />
          <button type="button" className="button" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}
      {status && <StatusLine message={status} />}
      <h3>Your tokens</h3>
      {tokens.result.state === 'loading' && <Loading label="Loading tokens…" />}
      {tokens.result.state === 'error' && (
        <ErrorState error={tokens.result.error} onRetry={tokens.reload} />
      )}
      {tokens.result.state === 'ready' &&
        (tokens.result.data.length === 0 ? (
          <EmptyState title="You have no API tokens" />
        ) : (
          <ul className="token-list">
            {tokens.result.data.map((token) => (
              <li key={token.id}>
                <span className="token-name">{token.name}</span>
                <span className="muted">
                  Created {formatDateTime(token.createdAt)}
                  {token.expiresAt
                    ? ` · expires ${formatDateTime(token.expiresAt)}`
                    : ' · no expiry'}
                  {token.lastUsedAt
                    ? ` · last used ${formatRelative(token.lastUsedAt)}`
                    : ' · never used'}
                </span>
                <button
                  type="button"
                  className="button button-small button-danger"
                  onClick={() => setRevoking(token)}
                >
                  Revoke<span className="visually-hidden"> {token.name}</span>
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
          setStatus(`Token “${token.name}” revoked.`)
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
      setError(new Error('Name the token after what will use it.'))
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
        <Field label="Token name" error={fieldError('name')}>
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
        <Field label="Expires (optional)" error={fieldError('expiresAt')}>
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
          {busy ? 'Creating…' : 'Create token'}
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
      title="Revoke API token"
      confirmLabel="Revoke token"
      destructive
      onConfirm={revoke}
      onCancel={onClose}
    >
      <p>Anything that uses “{token?.name}” will stop working at once. This cannot be undone.</p>
    </ConfirmDialog>
  )
}
