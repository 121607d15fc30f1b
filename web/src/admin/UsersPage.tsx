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
import { messages as m } from '../i18n/messages.ts'
import { ConfirmDialog } from '../ui/Dialog.tsx'
import { downloadFile } from '../ui/download.ts'
import { Field } from '../ui/Field.tsx'
import { formatDateTime } from '../ui/format.ts'
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
      <PageHeading title={m.users.heading} />
      <CreateUserForm
        onSubmit={() => setStatus('')}
        onCreated={(user) => {
          invalidateDirectory()
          setStatus(
            m.users.added({ name: user.name, role: m.common.roles[user.role].toLowerCase() }),
          )
          list.update((current) => [user, ...current])
        }}
      />
      {status && <StatusLine message={status} />}
      <UserSearch onSearch={setSearch} />
      {list.state === 'loading' && <Loading label={m.users.loading} />}
      {list.state === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.state === 'ready' && list.items.length === 0 && <EmptyState title={m.users.empty} />}
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
      <LoadMore list={list} label={m.users.loadMore} />
      <ResetMfaDialog
        user={resetting}
        onClose={() => setResetting(null)}
        onReset={(user) => {
          setResetting(null)
          setStatus(m.users.mfaReset(user))
          replace({ ...user, mfaEnabled: false })
        }}
      />
      <EraseDialog
        user={erasing}
        onClose={() => setErasing(null)}
        onErased={(user) => {
          setErasing(null)
          setStatus(m.users.erased(user))
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
        <Field label={m.users.nameOrEmail}>
          {(control) => (
            <input
              {...control}
              type="search"
              value={q}
              onChange={(event) => setQ(event.target.value)}
            />
          )}
        </Field>
        <Field label={m.users.role}>
          {(control) => (
            <select
              {...control}
              value={role}
              onChange={(event) => {
                setRole(event.target.value)
                onSearch({ q: q.trim(), role: event.target.value })
              }}
            >
              <option value="">{m.users.allRoles}</option>
              {ROLES.map((value) => (
                <option key={value} value={value}>
                  {m.common.roles[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" className="button">
          {m.users.search}
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
      <summary>{m.users.add}</summary>
      <form className="form" onSubmit={submit} noValidate>
        <Field label={m.common.name} error={fieldError('name')}>
          {(control) => (
            <input
              {...control}
              required
              value={form.name}
              onChange={(event) => set('name')(event.target.value)}
            />
          )}
        </Field>
        <Field label={m.common.email} error={fieldError('email')}>
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
        <Field label={m.users.role} error={fieldError('role')}>
          {(control) => (
            <select
              {...control}
              value={form.role}
              onChange={(event) => set('role')(event.target.value)}
            >
              {ROLES.map((value) => (
                <option key={value} value={value}>
                  {m.common.roles[value]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label={m.users.initialPassword}
          hint={m.users.initialPasswordHint}
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
          {busy ? m.users.adding : m.users.addUser}
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
    act(m.users.exported, async () => {
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
          {m.users.facts({ date: formatDateTime(user.createdAt), mfa: user.mfaEnabled })}
        </p>
      </div>
      <div className="user-row-controls">
        <Field label={m.users.role}>
          {(control) => (
            <select
              {...control}
              value={user.role}
              disabled={busy || self}
              onChange={(event) =>
                change(m.users.roleChanged, { role: event.target.value as Role })
              }
            >
              {ROLES.map((value) => (
                <option key={value} value={value}>
                  {m.common.roles[value]}
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
              change(event.target.checked ? m.users.mfaRequired : m.users.requirementRemoved, {
                mfaRequired: event.target.checked,
              })
            }
          />
          <label htmlFor={`mfa-required-${user.id}`}>{m.users.requireMfa}</label>
        </div>
        <div className="button-row">
          <button
            type="button"
            className="button button-small"
            onClick={exportData}
            disabled={busy}
          >
            {m.users.exportData}
            <span className="visually-hidden">{m.users.ofUser(user)}</span>
          </button>
          {!self && (
            <button
              type="button"
              className="button button-small"
              onClick={() =>
                act(m.users.linkSent(user), async () => {
                  await users.invite(user.id)
                })
              }
              disabled={busy}
            >
              {m.users.mailPasswordLink}
              <span className="visually-hidden">{m.users.toUser(user)}</span>
            </button>
          )}
          {!self && user.mfaEnabled && (
            <button
              type="button"
              className="button button-small"
              onClick={onResetMfa}
              disabled={busy}
            >
              {m.users.resetMfa}
              <span className="visually-hidden">{m.users.ofUser(user)}</span>
            </button>
          )}
          {!self && (
            <button
              type="button"
              className="button button-small button-danger"
              onClick={onErase}
              disabled={busy}
            >
              {m.users.erase}
              <span className="visually-hidden"> {user.name}</span>
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
      title={m.users.eraseTitle}
      confirmLabel={m.users.eraseConfirm}
      destructive
      confirmDisabled={!matches}
      onConfirm={erase}
      onCancel={close}
    >
      <p>{m.users.eraseWarning({ name: <strong>{user?.name}</strong> })}</p>
      <Field label={m.users.typeToConfirm({ email: user?.email ?? m.users.theirEmail })}>
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
      title={m.users.resetMfaTitle}
      confirmLabel={m.users.resetMfaTitle}
      destructive
      onConfirm={reset}
      onCancel={onClose}
    >
      <p>{m.users.resetMfaWarning({ name: user?.name ?? '' })}</p>
    </ConfirmDialog>
  )
}
