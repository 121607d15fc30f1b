// Mail channels: mailboxes (IMAP) whose mail becomes tickets of a team. Each shows whether a
// replica is reading it, its last poll and the server's words when it fails; admins add,
// pause and remove their own (channels from configuration change only there).
import { type FormEvent, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { mail, teams } from '../api/endpoints.ts'
import type { MailChannel, MailSecurity } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useLoad } from '../hooks/data.ts'
import { ConfirmDialog } from '../ui/Dialog.tsx'
import { Field } from '../ui/Field.tsx'
import { formatDateTime } from '../ui/format.ts'
import { EmptyState, ErrorState, FormError, InlineError, Loading } from '../ui/States.tsx'

const DEFAULT_PORTS: Record<MailSecurity, number> = { tls: 993, starttls: 143, none: 143 }

export function ChannelsSection() {
  const channels = useLoad('mail-channels', (signal) => mail.channels(signal))
  const [removing, setRemoving] = useState<MailChannel | null>(null)
  const { error, run } = useAction()
  const replace = (changed: MailChannel) =>
    channels.update((items) => items.map((item) => (item.id === changed.id ? changed : item)))

  return (
    <section className="panel" aria-labelledby="channels-heading">
      <h2 id="channels-heading">Mail channels</h2>
      <p>
        Mail to these mailboxes becomes tickets; replies to our mail find their ticket. Automatic
        replies, bounces and loops are never answered.
      </p>
      {channels.result.state === 'loading' && <Loading />}
      {channels.result.state === 'error' && (
        <ErrorState error={channels.result.error} onRetry={channels.reload} />
      )}
      {channels.result.state === 'ready' && channels.result.data.length === 0 && (
        <EmptyState title="No mail channel yet" />
      )}
      {channels.result.state === 'ready' && channels.result.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Server</th>
              <th scope="col">Team</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {channels.result.data.map((channel) => (
              <tr key={channel.id}>
                <td>
                  {channel.address}
                  <span className="muted"> · {channel.name}</span>
                </td>
                <td>
                  {channel.username}@{channel.host}:{channel.port}
                  <span className="muted"> · {channel.mode === 'idle' ? 'IDLE' : 'polling'}</span>
                </td>
                <td>{channel.team?.name ?? '—'}</td>
                <td>
                  <ChannelStatus channel={channel} />
                </td>
                <td>
                  {channel.source === 'admin' ? (
                    <>
                      <button
                        type="button"
                        className="button"
                        onClick={() =>
                          void run(async () =>
                            replace(await mail.setChannelEnabled(channel.id, !channel.enabled)),
                          )
                        }
                      >
                        {channel.enabled ? 'Pause' : 'Resume'}
                      </button>{' '}
                      <button
                        type="button"
                        className="button button-danger"
                        onClick={() => setRemoving(channel)}
                      >
                        Remove<span className="visually-hidden"> {channel.address}</span>
                      </button>
                    </>
                  ) : (
                    <span className="muted">From configuration</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <InlineError error={error} />
      <AddChannelForm onAdded={(added) => channels.update((items) => [...items, added])} />
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.address ?? ''}`}
        confirmLabel="Remove channel"
        destructive
        onConfirm={async () => {
          const id = removing?.id
          if (!id) return
          await mail.removeChannel(id)
          channels.update((items) => items.filter((item) => item.id !== id))
          setRemoving(null)
        }}
        onCancel={() => setRemoving(null)}
      >
        <p>Its mail is no longer read. Tickets made from it stay.</p>
      </ConfirmDialog>
    </section>
  )
}

function ChannelStatus({ channel }: { channel: MailChannel }) {
  const { status } = channel
  if (!channel.enabled) return <span className="muted">Paused</span>
  if (status.state === null) return <span className="muted">Not read yet</span>
  return (
    <>
      {status.state === 'ok' ? 'Reading' : 'Failing'}
      {status.lastPollAt && (
        <span className="muted">
          {' '}
          · last read <time dateTime={status.lastPollAt}>{formatDateTime(status.lastPollAt)}</time>
        </span>
      )}
      <span className="muted"> · {status.messagesRead} mails</span>
      {status.state === 'error' && status.lastError && (
        <p className="field-error">{status.lastError}</p>
      )}
    </>
  )
}

function AddChannelForm({ onAdded }: { onAdded(channel: MailChannel): void }) {
  const teamList = useLoad('teams', (signal) => teams.list(signal))
  const [name, setName] = useState('')
  const [address, setAddress] = useState('')
  const [teamId, setTeamId] = useState('')
  const [host, setHost] = useState('')
  const [security, setSecurity] = useState<MailSecurity>('tls')
  const [port, setPort] = useState('')
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [mode, setMode] = useState<'idle' | 'poll'>('idle')
  const { busy, error, run } = useAction()
  const fieldError = (path: string) =>
    error instanceof ApiError ? error.fieldMessage(path) : undefined

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void run(async () => {
      const added = await mail.addChannel({
        name: name.trim(),
        address: address.trim(),
        teamId: teamId || null,
        host: host.trim(),
        port: port ? Number(port) : DEFAULT_PORTS[security],
        security,
        username: username.trim(),
        password,
        mode,
      })
      onAdded(added)
      for (const clear of [setName, setAddress, setHost, setPort, setUsername, setPassword]) {
        clear('')
      }
    })
  }

  return (
    <details>
      <summary>Add a mail channel</summary>
      <form className="form" onSubmit={submit} noValidate>
        <Field
          label="Name"
          hint="Lower-case letters, digits and -, e.g. support"
          error={fieldError('name')}
        >
          {(control) => (
            <input {...control} required value={name} onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <Field label="Address customers write to" error={fieldError('address')}>
          {(control) => (
            <input
              {...control}
              type="email"
              required
              value={address}
              onChange={(e) => setAddress(e.target.value)}
            />
          )}
        </Field>
        <Field label="Team" error={fieldError('teamId')}>
          {(control) => (
            <select {...control} value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              <option value="">No team</option>
              {teamList.result.state === 'ready' &&
                teamList.result.data.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label="IMAP server" error={fieldError('host')}>
          {(control) => (
            <input {...control} required value={host} onChange={(e) => setHost(e.target.value)} />
          )}
        </Field>
        <Field label="Security" error={fieldError('security')}>
          {(control) => (
            <select
              {...control}
              value={security}
              onChange={(e) => setSecurity(e.target.value as MailSecurity)}
            >
              <option value="tls">TLS (port 993)</option>
              <option value="starttls">STARTTLS (port 143)</option>
              <option value="none">None (a server on the same network only)</option>
            </select>
          )}
        </Field>
        <Field label="Port" hint={`Empty: ${DEFAULT_PORTS[security]}`} error={fieldError('port')}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={65535}
              value={port}
              onChange={(e) => setPort(e.target.value)}
            />
          )}
        </Field>
        <Field label="User name" error={fieldError('username')}>
          {(control) => (
            <input
              {...control}
              required
              autoComplete="off"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Password"
          hint="Stored encrypted; never shown again."
          error={fieldError('password')}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              required
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <Field label="New mail" error={fieldError('mode')}>
          {(control) => (
            <select
              {...control}
              value={mode}
              onChange={(e) => setMode(e.target.value as 'idle' | 'poll')}
            >
              <option value="idle">Read at once (IMAP IDLE)</option>
              <option value="poll">Check every minute</option>
            </select>
          )}
        </Field>
        <FormError
          error={error}
          fields={[
            'name',
            'address',
            'teamId',
            'host',
            'security',
            'port',
            'username',
            'password',
            'mode',
          ]}
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add channel'}
        </button>
      </form>
    </details>
  )
}
