// People: add them, change their role, require two-factor sign-in, and the GDPR rights —
// export everything stored about someone, or erase them for good.
import { type FormEvent, useState } from 'react'
import { invalidateDirectory } from '../agent/directory.ts'
import { ApiError } from '../api/client.ts'
import { users } from '../api/endpoints.ts'
import type { Role, User } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { usePaged } from '../hooks/data.ts'
import { useSession } from '../hooks/session.tsx'
import { ConfirmDialog } from '../ui/Dialog.tsx'
import { downloadFile } from '../ui/download.ts'
import { Field } from '../ui/Field.tsx'
import { formatDateTime, humanize } from '../ui/format.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
import {
  EmptyState,
  ErrorState,
  FormError,
  InlineError,
  Loading,
  LoadMore,
  StatusLine,
} from '../ui/States.tsx'

const ROLES: Role[] = ['customer', 'agent', 'admin']

export function UsersPage() {
  const [search, setSearch] = useState({ q: '', role: '' })
  const list = usePaged(JSON.stringify(search), (cursor, signal) =>
    users.list({ q: search.q || undefined, role: search.role || undefined }, cursor, signal),
  )
  const [status, setStatus] = useState('')
  const [erasing, setErasing] = useState<User | null>(null)
  const [resetting, setResetting] = useState<User | null>(null)

  const replace = (user: User) => {
    invalidateDirectory()
    list.update((current) => current.map((other) => (other.id === user.id ? user : other)))
  }

  return (
    <section className="page">
      <PageHeading title="Users" />
      <CreateUserForm
        onSubmit={() => setStatus('')}
        onCreated={(user) => {
          invalidateDirectory()
          setStatus(`${user.name} was added as ${humanize(user.role).toLowerCase()}.`)
          list.update((current) => [user, ...current])
        }}
      />
      {status && <StatusLine message={status} />}
      <UserSearch onSearch={setSearch} />
      {list.state === 'loading' && <Loading label="Loading users…" />}
      {list.state === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.state === 'ready' && list.items.length === 0 && <EmptyState title="No users match" />}
      {list.items.length > 0 && (
        <ul className="user-list">
          {list.items.map((user) => (
            <li key={user.id}>
              <UserRow
                user={user}
                onChanged={replace}
                onErase={() => setErasing(user)}
                onResetMfa={() => setResetting(user)}
              />
            </li>
          ))}
        </ul>
      )}
      <LoadMore list={list} label="Load more users" />
      <ResetMfaDialog
        user={resetting}
        onClose={() => setResetting(null)}
        onReset={(user) => {
          setResetting(null)
          setStatus(`Two-factor sign-in of ${user.name} was reset.`)
          replace({ ...user, mfaEnabled: false })
        }}
      />
      <EraseDialog
        user={erasing}
        onClose={() => setErasing(null)}
        onErased={(user) => {
          setErasing(null)
          setStatus(`${user.email} was erased.`)
          list.reload()
        }}
      />
    </section>
  )
}

function UserSearch({ onSearch }: { onSearch(search: { q: string; role: string }): void }) {
  const [q, setQ] = useState('')
  const [role, setRole] = useState('')
  return (
    <search>
      <form
        className="form-row"
        onSubmit={(event) => {
          event.preventDefault()
          onSearch({ q: q.trim(), role })
        }}
      >
        <Field label="Name or email">
          {(control) => (
            <input
              {...control}
              type="search"
              value={q}
              onChange={(event) => setQ(event.target.value)}
            />
          )}
        </Field>
        <Field label="Role">
          {(control) => (
            <select
              {...control}
              value={role}
              onChange={(event) => {
                setRole(event.target.value)
                onSearch({ q: q.trim(), role: event.target.value })
              }}
            >
              <option value="">All roles</option>
              {ROLES.map((value) => (
                <option key={value} value={value}>
                  {humanize(value)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="button">
          Search
        </button>
      </form>
    </search>
  )
}

function CreateUserForm({
  onSubmit,
  onCreated,
}: {
  /** A new attempt starts: an earlier success notice no longer describes the page. */
  onSubmit(): void
  onCreated(user: User): void
}) {
  const [open, setOpen] = useState(false)
  const [form, setForm] = useState({ email: '', name: '', role: 'agent' as Role, password: '' })
  const { busy, error, run } = useAction()
  const fieldError = (path: string) =>
    error instanceof ApiError ? error.fieldMessage(path) : undefined
  const set = (field: keyof typeof form) => (value: string) =>
    setForm((current) => ({ ...current, [field]: value }))

  const submit = (event: FormEvent) => {
    event.preventDefault()
    onSubmit()
    void run(async () => {
      const user = await users.create({
        email: form.email.trim(),
        name: form.name.trim(),
        role: form.role,
        password: form.password || undefined,
      })
      // Without a password the person chooses one from a mailed invitation.
      if (!form.password) await users.invite(user.id)
      onCreated(user)
      setForm({ email: '', name: '', role: form.role, password: '' })
    })
  }

  return (
    <details
      className="panel disclosure"
      open={open}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary>Add a user</summary>
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Name" error={fieldError('name')}>
          {(control) => (
            <input
              {...control}
              required
              value={form.name}
              onChange={(event) => set('name')(event.target.value)}
            />
          )}
        </Field>
        <Field label="Email" error={fieldError('email')}>
          {(control) => (
            <input
              {...control}
              type="email"
              required
              value={form.email}
              onChange={(event) => set('email')(event.target.value)}
            />
          )}
        </Field>
        <Field label="Role" error={fieldError('role')}>
          {(control) => (
            <select
              {...control}
              value={form.role}
              onChange={(event) => set('role')(event.target.value)}
            >
              {ROLES.map((value) => (
                <option key={value} value={value}>
                  {humanize(value)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Initial password (optional)"
          hint="Leave it empty and the person is mailed an invitation to choose their own."
          error={fieldError('password')}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={(event) => set('password')(event.target.value)}
            />
          )}
        </Field>
        <FormError error={error} fields={['name', 'email', 'role', 'password']} />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add user'}
        </button>
      </form>
    </details>
  )
}

function UserRow({
  user,
  onChanged,
  onErase,
  onResetMfa,
}: {
  user: User
  onChanged(user: User): void
  onErase(): void
  onResetMfa(): void
}) {
  const session = useSession()
  const self = session.user.id === user.id
  const { busy, error, run } = useAction()
  const [status, setStatus] = useState('')

  const act = (done: string, action: () => Promise<void>) => {
    setStatus('')
    return run(async () => {
      await action()
      setStatus(done)
    })
  }

  const change = (done: string, changes: { role?: Role; mfaRequired?: boolean }) =>
    act(done, async () => onChanged(await users.update(user.id, changes)))

  const exportData = () =>
    act('Export downloaded.', async () => {
      const data = await users.export(user.id)
      downloadFile(
        `helpdesk-export-${user.id}.json`,
        JSON.stringify(data, null, 2),
        'application/json',
      )
    })

  return (
    <article className="user-row" aria-label={user.name}>
      <div className="user-row-who">
        <p className="user-row-name">{user.name}</p>
        <p className="muted user-row-email">{user.email}</p>
        <p className="muted">
          Added {formatDateTime(user.createdAt)} · two-factor {user.mfaEnabled ? 'on' : 'off'}
        </p>
      </div>
      <div className="user-row-controls">
        <Field label="Role">
          {(control) => (
            <select
              {...control}
              value={user.role}
              disabled={busy || self}
              onChange={(event) => change('Role changed.', { role: event.target.value as Role })}
            >
              {ROLES.map((value) => (
                <option key={value} value={value}>
                  {humanize(value)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="checkbox-field">
          <input
            id={`mfa-required-${user.id}`}
            type="checkbox"
            checked={user.mfaRequired}
            disabled={busy}
            onChange={(event) =>
              change(
                event.target.checked ? 'Two-factor sign-in required.' : 'Requirement removed.',
                { mfaRequired: event.target.checked },
              )
            }
          />
          <label htmlFor={`mfa-required-${user.id}`}>Require two-factor sign-in</label>
        </div>
        <div className="button-row">
          <button
            type="button"
            className="button button-small"
            onClick={exportData}
            disabled={busy}
          >
            Export data<span className="visually-hidden"> of {user.name}</span>
          </button>
          {!self && (
            <button
              type="button"
              className="button button-small"
              onClick={() =>
                act(`A link to set a password is on its way to ${user.email}.`, async () => {
                  await users.invite(user.id)
                })
              }
              disabled={busy}
            >
              Mail a password link<span className="visually-hidden"> to {user.name}</span>
            </button>
          )}
          {!self && user.mfaEnabled && (
            <button
              type="button"
              className="button button-small"
              onClick={onResetMfa}
              disabled={busy}
            >
              Reset two-factor<span className="visually-hidden"> of {user.name}</span>
            </button>
          )}
          {!self && (
            <button
              type="button"
              className="button button-small button-danger"
              onClick={onErase}
              disabled={busy}
            >
              Erase<span className="visually-hidden"> {user.name}</span>
            </button>
          )}
        </div>
      </div>
      <InlineError error={error} />
      {status && <StatusLine message={status} />}
    </article>
  )
}

/** Erasure cannot be undone, so the admin types the address of the person to confirm. */
function EraseDialog({
  user,
  onClose,
  onErased,
}: {
  user: User | null
  onClose(): void
  onErased(user: User): void
}) {
  const [typed, setTyped] = useState('')
  const close = () => {
    setTyped('')
    onClose()
  }
  const erase = async () => {
    if (!user) return
    await users.erase(user.id)
    setTyped('')
    onErased(user)
  }
  const matches = user !== null && typed.trim().toLowerCase() === user.email.toLowerCase()
  return (
    <ConfirmDialog
      open={user !== null}
      title="Erase this person’s data"
      confirmLabel="Erase permanently"
      destructive
      confirmDisabled={!matches}
      onConfirm={erase}
      onCancel={close}
    >
      <p>
        This removes or anonymises everything personal about <strong>{user?.name}</strong> and
        deletes the files they uploaded. Their tickets stay, attributed to “erased user”. It cannot
        be undone.
      </p>
      <Field label={`Type ${user?.email ?? 'their email'} to confirm`}>
        {(control) => (
          <input
            {...control}
            autoComplete="off"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
        )}
      </Field>
    </ConfirmDialog>
  )
}

/** For someone who lost their authenticator: they sign in with the password and enrol again. */
function ResetMfaDialog({
  user,
  onClose,
  onReset,
}: {
  user: User | null
  onClose(): void
  onReset(user: User): void
}) {
  const reset = async () => {
    if (!user) return
    await users.resetMfa(user.id)
    onReset(user)
  }
  return (
    <ConfirmDialog
      open={user !== null}
      title="Reset two-factor sign-in"
      confirmLabel="Reset two-factor sign-in"
      destructive
      onConfirm={reset}
      onCancel={onClose}
    >
      <p>
        {user?.name} will sign in with their password alone and set up two-factor sign-in again;
        their sessions end and their API tokens are revoked. Do this only after checking who is
        asking, for example when they lost their phone.
      </p>
    </ConfirmDialog>
  )
}
