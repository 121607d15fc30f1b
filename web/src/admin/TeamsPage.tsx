// Teams group agents; tickets can be routed to a team. Create, rename, choose members, delete.
import { type FormEvent, useState } from 'react'
import { invalidateDirectory, useDirectory } from '../agent/directory.ts'
import { teams } from '../api/endpoints.ts'
import type { Team } from '../api/types.ts'
import { useAction } from '../hooks/action.ts'
import { useLoad } from '../hooks/data.ts'
import { messages as m } from '../i18n/messages.ts'
import { ConfirmDialog, Dialog } from '../ui/Dialog.tsx'
import { Field } from '../ui/Field.tsx'
import { PageHeading } from '../ui/PageHeading.tsx'
import { EmptyState, ErrorState, InlineError, Loading, StatusLine } from '../ui/States.tsx'

export function TeamsPage() {
  const list = useLoad('teams', (signal) => teams.list(signal))
  const [status, setStatus] = useState('')
  const [editing, setEditing] = useState<Team | null>(null)
  const [deleting, setDeleting] = useState<Team | null>(null)

  return (
    <section className="page page-narrow">
      <PageHeading title={m.teams.heading} />
      <CreateTeamForm
        onCreated={(team) => {
          invalidateDirectory()
          setStatus(m.teams.created(team))
          list.reload()
        }}
      />
      {status && <StatusLine message={status} />}
      {list.result.state === 'loading' && <Loading label={m.teams.loading} />}
      {list.result.state === 'error' && (
        <ErrorState error={list.result.error} onRetry={list.reload} />
      )}
      {list.result.state === 'ready' &&
        (list.result.data.length === 0 ? (
          <EmptyState title={m.teams.empty}>
            <p>{m.teams.emptyHint}</p>
          </EmptyState>
        ) : (
          <ul className="team-list">
            {list.result.data.map((team) => (
              <li key={team.id} className="team-row">
                <div>
                  <p className="team-name">{team.name}</p>
                  <p className="muted">
                    {team.members.length > 0
                      ? team.members.map((member) => member.name).join(', ')
                      : m.teams.noMembers}
                  </p>
                </div>
                <div className="button-row">
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setEditing(team)}
                  >
                    {m.teams.edit}
                    <span className="visually-hidden"> {team.name}</span>
                  </button>
                  <button
                    type="button"
                    className="button button-small button-danger"
                    onClick={() => setDeleting(team)}
                  >
                    {m.common.delete}
                    <span className="visually-hidden"> {team.name}</span>
                  </button>
                </div>
              </li>
            ))}
          </ul>
        ))}
      <EditTeamDialog
        team={editing}
        onClose={() => setEditing(null)}
        onSaved={(name) => {
          invalidateDirectory()
          setEditing(null)
          setStatus(m.teams.saved({ name }))
          list.reload()
        }}
      />
      <DeleteTeamDialog
        team={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(team) => {
          invalidateDirectory()
          setDeleting(null)
          setStatus(m.teams.deleted(team))
          list.update((current) => current.filter((other) => other.id !== team.id))
        }}
      />
    </section>
  )
}

function CreateTeamForm({ onCreated }: { onCreated(team: Team): void }) {
  const [name, setName] = useState('')
  const { busy, error, run, setError } = useAction()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!name.trim()) {
      setError(new Error(m.teams.nameNeeded))
      return
    }
    void run(async () => {
      onCreated(await teams.create(name.trim()))
      setName('')
    })
  }
  return (
    <form className="form-row" onSubmit={submit} noValidate>
      <Field label={m.teams.newTeam}>
        {(control) => (
          <input {...control} value={name} onChange={(event) => setName(event.target.value)} />
        )}
      </Field>
      <button type="submit" className="button button-primary" disabled={busy}>
        {m.teams.create}
      </button>
      <InlineError error={error} />
    </form>
  )
}

function EditTeamDialog({
  team,
  onClose,
  onSaved,
}: {
  team: Team | null
  onClose(): void
  onSaved(name: string): void
}) {
  return (
    <Dialog
      open={team !== null}
      title={m.teams.editTitle({ name: team?.name ?? '' })}
      onCancel={onClose}
    >
      {team && <EditTeamForm team={team} onClose={onClose} onSaved={onSaved} />}
    </Dialog>
  )
}

function EditTeamForm({
  team,
  onClose,
  onSaved,
}: {
  team: Team
  onClose(): void
  onSaved(name: string): void
}) {
  const directory = useDirectory()
  const [name, setName] = useState(team.name)
  const [members, setMembers] = useState(new Set(team.members.map((member) => member.id)))
  const { busy, error, run, setError } = useAction()

  const toggle = (id: string, on: boolean) =>
    setMembers((current) => {
      const next = new Set(current)
      if (on) next.add(id)
      else next.delete(id)
      return next
    })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!name.trim()) {
      setError(new Error(m.teams.nameNeeded))
      return
    }
    void run(async () => {
      if (name.trim() !== team.name) await teams.rename(team.id, name.trim())
      await teams.setMembers(team.id, [...members])
      onSaved(name.trim())
    })
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field label={m.teams.name}>
        {(control) => (
          <input {...control} value={name} onChange={(event) => setName(event.target.value)} />
        )}
      </Field>
      <fieldset className="member-picker">
        <legend>{m.teams.members}</legend>
        {directory.result.state === 'loading' && <Loading label={m.teams.loadingAgents} />}
        {directory.result.state === 'error' && (
          <ErrorState error={directory.result.error} onRetry={directory.reload} />
        )}
        {directory.result.state === 'ready' &&
          directory.result.data.agents.map((person) => (
            <div key={person.id} className="checkbox-field">
              <input
                id={`member-${person.id}`}
                type="checkbox"
                checked={members.has(person.id)}
                onChange={(event) => toggle(person.id, event.target.checked)}
              />
              <label htmlFor={`member-${person.id}`}>{person.name}</label>
            </div>
          ))}
      </fieldset>
      <InlineError error={error} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {m.common.cancel}
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? m.common.saving : m.teams.save}
        </button>
      </div>
    </form>
  )
}

function DeleteTeamDialog({
  team,
  onClose,
  onDeleted,
}: {
  team: Team | null
  onClose(): void
  onDeleted(team: Team): void
}) {
  const remove = async () => {
    if (!team) return
    await teams.remove(team.id)
    onDeleted(team)
  }
  return (
    <ConfirmDialog
      open={team !== null}
      title={m.teams.deleteTitle}
      confirmLabel={m.teams.deleteTitle}
      destructive
      onConfirm={remove}
      onCancel={onClose}
    >
      <p>{m.teams.deleteQuestion({ name: team?.name ?? '' })}</p>
    </ConfirmDialog>
  )
}
