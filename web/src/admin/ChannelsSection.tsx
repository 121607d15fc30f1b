// Mail channels: mailboxes (IMAP) whose mail becomes tickets of a team. Each shows whether a
// replica is reading it, its last poll and the server's words when it fails; admins add,
// pause and remove their own (channels from configuration change only there).
import { type FormEvent, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { mail, teams } from '../api/endpoints.ts'
import type { MailChannel, MailSecurity } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useLoad } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
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
      <h2 id="channels-heading">{m.channels.heading}</h2>
      <p>{m.channels.intro}</p>
      {channels.result.state === 'loading' && <Loading />}
      {channels.result.state === 'error' && (
        <ErrorState error={channels.result.error} onRetry={channels.reload} />
      )}
      {channels.result.state === 'ready' && channels.result.data.length === 0 && (
        <EmptyState title={m.channels.empty} />
      )}
      {channels.result.state === 'ready' && channels.result.data.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{m.channels.columns.address}</th>
              <th scope="col">{m.channels.columns.server}</th>
              <th scope="col">{m.channels.columns.team}</th>
              <th scope="col">{m.channels.columns.status}</th>
              <th scope="col">
                <span className="visually-hidden">{m.channels.columns.actions}</span>
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
                  <span className="muted"> · {m.channels.modes[channel.mode]}</span>
                </td>
                <td>{channel.team?.name ?? m.channels.noTeam}</td>
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
                        {channel.enabled ? m.channels.pause : m.channels.resume}
                      </button>{' '}
                      <button
                        type="button"
                        className="button button-danger"
                        onClick={() => setRemoving(channel)}
                      >
                        {m.common.remove}
                        <span className="visually-hidden"> {channel.address}</span>
                      </button>
                    </>
                  ) : (
                    <span className="muted">{m.channels.fromConfiguration}</span>
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
        title={m.channels.removeTitle({ address: removing?.address ?? '' })}
        confirmLabel={m.channels.removeConfirm}
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
        <p>{m.channels.removeWarning}</p>
      </ConfirmDialog>
    </section>
  )
}

function ChannelStatus({ channel }: { channel: MailChannel }) {
  const { status } = channel
  if (!channel.enabled) return <span className="muted">{m.channels.paused}</span>
  if (status.state === null) return <span className="muted">{m.channels.notReadYet}</span>
  return (
    <>
      {status.state === 'ok' ? m.channels.reading : m.channels.failing}
      {status.lastPollAt && (
        <span className="muted">
          {m.channels.lastRead({
            time: <time dateTime={status.lastPollAt}>{formatDateTime(status.lastPollAt)}</time>,
          })}
        </span>
      )}
      <span className="muted">{m.channels.mailsRead({ count: status.messagesRead })}</span>
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
      <summary>{m.channels.add}</summary>
      <form className="form" onSubmit={submit} noValidate>
        <Field label={m.channels.name} hint={m.channels.nameHint} error={fieldError('name')}>
          {(control) => (
            <input {...control} required value={name} onChange={(e) => setName(e.target.value)} />
          )}
        </Field>
        <Field label={m.channels.address} error={fieldError('address')}>
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
        <Field label={m.channels.team} error={fieldError('teamId')}>
          {(control) => (
            <select {...control} value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              <option value="">{m.channels.noTeamOption}</option>
              {teamList.result.state === 'ready' &&
                teamList.result.data.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label={m.channels.server} error={fieldError('host')}>
          {(control) => (
            <input {...control} required value={host} onChange={(e) => setHost(e.target.value)} />
          )}
        </Field>
        <Field label={m.channels.security} error={fieldError('security')}>
          {(control) => (
            <select
              {...control}
              value={security}
              onChange={(e) => setSecurity(e.target.value as MailSecurity)}
            >
              <option value="tls">{m.channels.securities.tls}</option>
              <option value="starttls">{m.channels.securities.starttls}</option>
              <option value="none">{m.channels.securities.none}</option>
            </select>
          )}
        </Field>
        <Field
          label={m.channels.port}
          hint={m.channels.portHint({ port: DEFAULT_PORTS[security] })}
          error={fieldError('port')}
        >
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
        <Field label={m.channels.username} error={fieldError('username')}>
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
          label={m.channels.password}
          hint={m.channels.passwordHint}
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
        <Field label={m.channels.newMail} error={fieldError('mode')}>
          {(control) => (
            <select
              {...control}
              value={mode}
              onChange={(e) => setMode(e.target.value as 'idle' | 'poll')}
            >
              <option value="idle">{m.channels.readAtOnce}</option>
              <option value="poll">{m.channels.checkEveryMinute}</option>
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
          {busy ? m.channels.adding : m.channels.addChannel}
        </button>
      </form>
    </details>
  )
}
