// Two-factor sign-in: enrol (QR code + secret, confirm with a code, save recovery codes) or
// turn it off again with a current code.
import { type FormEvent, useState } from 'react'
import { auth } from '../api/endpoints.ts'
import { useAction } from '../hooks/action.ts'
import { useSession } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { downloadFile } from '../ui/download.ts'
import { Field } from '../ui/Field.tsx'
import { InlineError, StatusLine } from '../ui/States.tsx'
import { QrCode } from './QrCode.tsx'
import { useRecentPassword } from './RecentPassword.tsx'

type Stage =
  | { name: 'idle' }
  | { name: 'scan'; secret: string; otpauthUrl: string }
  | { name: 'recovery'; codes: string[] }

export function MfaSection({ required }: { required: boolean }) {
  const { user } = useSession()
  const [stage, setStage] = useState<Stage>({ name: 'idle' })
  const { busy, error, run: runAction } = useAction()
  const [status, setStatus] = useState('')
  const { confirmingPassword, dialog } = useRecentPassword()

  const run = (action: () => Promise<void>) => {
    setStatus('')
    return runAction(() => confirmingPassword(action))
  }

  const start = () =>
    run(async () => {
      const { secret, otpauthUrl } = await auth.setupTotp()
      setStage({ name: 'scan', secret, otpauthUrl })
    })

  const replaceCodes = () =>
    run(async () => {
      const { recoveryCodes } = await auth.regenerateRecoveryCodes()
      setStage({ name: 'recovery', codes: recoveryCodes })
    })

  return (
    <section className="panel" aria-labelledby="mfa-heading">
      <h2 id="mfa-heading">{m.account.mfa.heading}</h2>
      {required && !user.mfaEnabled && stage.name === 'idle' && (
        <p className="notice notice-warning" role="alert">
          {m.account.mfa.required}
        </p>
      )}
      {stage.name === 'scan' && (
        <ScanStep
          stage={stage}
          busy={busy}
          run={run}
          onEnabled={(codes) => setStage({ name: 'recovery', codes })}
        />
      )}
      {stage.name === 'recovery' && (
        <RecoveryCodes codes={stage.codes} onDone={() => setStage({ name: 'idle' })} />
      )}
      {stage.name === 'idle' &&
        (user.mfaEnabled ? (
          <>
            <DisableForm
              busy={busy}
              run={run}
              onDisabled={() => setStatus(m.account.mfa.turnedOff)}
            />
            <p>
              {m.account.mfa.lostCodes}{' '}
              <button type="button" className="button" onClick={replaceCodes} disabled={busy}>
                {m.account.mfa.newCodes}
              </button>
            </p>
          </>
        ) : (
          <>
            <p>{m.account.mfa.why}</p>
            <button type="button" className="button button-primary" onClick={start} disabled={busy}>
              {m.account.mfa.setUp}
            </button>
          </>
        ))}
      <p className="muted">{m.account.mfa.revokesTokens}</p>
      <InlineError error={error} />
      {status && <StatusLine message={status} />}
      {dialog}
    </section>
  )
}

interface StepProps {
  busy: boolean
  run(action: () => Promise<void>): Promise<void>
}

function ScanStep({
  stage,
  busy,
  run,
  onEnabled,
}: StepProps & {
  stage: { secret: string; otpauthUrl: string }
  onEnabled(codes: string[]): void
}) {
  const { user, replaceUser } = useSession()
  const [code, setCode] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void run(async () => {
      const answer = await auth.enableTotp(code.replace(/\s/g, ''))
      replaceUser({ ...user, mfaEnabled: true })
      onEnabled(answer?.recoveryCodes ?? [])
    })
  }
  return (
    <form className="form mfa-setup" onSubmit={submit}>
      <ol className="steps">
        <li>
          <p>{m.account.mfa.scan}</p>
          <QrCode value={stage.otpauthUrl} label={m.account.mfa.qrCode} />
          <p className="muted">
            {m.account.mfa.cannotScan}{' '}
            <code className="secret" data-testid="totp-secret">
              {stage.secret}
            </code>
          </p>
        </li>
        <li>
          <CodeField
            label={m.account.mfa.appCode}
            hint={m.account.mfa.appCodeHint}
            code={code}
            setCode={setCode}
          />
        </li>
      </ol>
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? m.account.mfa.checking : m.account.mfa.turnOn}
      </button>
    </form>
  )
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone(): void }) {
  if (codes.length === 0) {
    return (
      <div className="notice" role="status">
        <p>{m.account.mfa.on}</p>
        <button type="button" className="button" onClick={onDone}>
          {m.account.mfa.done}
        </button>
      </div>
    )
  }
  return (
    <div className="recovery-codes">
      <p role="status">{m.account.mfa.saveCodes}</p>
      <ul className="code-list" aria-label={m.account.mfa.codes}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="form-actions">
        <button
          type="button"
          className="button"
          onClick={() =>
            downloadFile('helpdesk-recovery-codes.txt', `${codes.join('\n')}\n`, 'text/plain')
          }
        >
          {m.account.mfa.downloadCodes}
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          {m.account.mfa.savedCodes}
        </button>
      </div>
    </div>
  )
}

function DisableForm({ busy, run, onDisabled }: StepProps & { onDisabled(): void }) {
  const { user, replaceUser } = useSession()
  const [code, setCode] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void run(async () => {
      await auth.disableTotp(code.replace(/\s/g, ''))
      setCode('')
      replaceUser({ ...user, mfaEnabled: false })
      onDisabled()
    })
  }
  return (
    <form className="form" onSubmit={submit}>
      <p>{m.account.mfa.onForYou}</p>
      <CodeField
        label={m.account.mfa.disableCode}
        hint={m.account.mfa.disableCodeHint}
        code={code}
        setCode={setCode}
      />
      <button type="submit" className="button button-danger" disabled={busy}>
        {m.account.mfa.turnOff}
      </button>
    </form>
  )
}

/** Six digits, which people may type as two groups of three. */
function CodeField({
  label,
  hint,
  code,
  setCode,
}: {
  label: string
  hint: string
  code: string
  setCode(code: string): void
}) {
  return (
    <Field label={label} hint={hint}>
      {(control) => (
        <input
          {...control}
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          maxLength={7}
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
      )}
    </Field>
  )
}
