// Changing a credential (two-factor sign-in, recovery codes, API tokens) needs a password
// typed in the last few minutes. When the API says it is too long ago, ask for it here and
// carry on with what the person was doing.
import { type ReactNode, useCallback, useRef, useState } from 'react'
import { ApiError } from '../api/client.ts'
import { auth } from '../api/endpoints.ts'
import { messages as m } from '../i18n/messages.ts'
import { ConfirmDialog } from '../ui/Dialog.tsx'
import { Field } from '../ui/Field.tsx'

export interface RecentPassword {
  /** Runs `action`; if the password must be confirmed first, asks for it and runs it again. */
  confirmingPassword<T>(action: () => Promise<T>): Promise<T>
  /** The password dialog: render it once in the section that uses the hook. */
  dialog: ReactNode
}

export function useRecentPassword(): RecentPassword {
  const [asking, setAsking] = useState(false)
  const [password, setPassword] = useState('')
  const waiting = useRef<{ resolve(): void; reject(error: Error): void } | null>(null)

  const confirmingPassword = useCallback(async <T,>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action()
    } catch (error) {
      if (!(error instanceof ApiError && error.type === 'reauthentication_required')) throw error
      await new Promise<void>((resolve, reject) => {
        waiting.current = { resolve, reject }
        setAsking(true)
      })
      return action()
    }
  }, [])

  const close = () => {
    setAsking(false)
    setPassword('')
    waiting.current = null
  }

  const dialog = (
    <ConfirmDialog
      open={asking}
      title={m.account.confirmPassword.title}
      confirmLabel={m.account.confirmPassword.confirm}
      confirmDisabled={password === ''}
      onConfirm={async () => {
        await auth.reauthenticate(password)
        waiting.current?.resolve()
        close()
      }}
      onCancel={() => {
        waiting.current?.reject(new Error(m.account.confirmPassword.notConfirmed))
        close()
      }}
    >
      <p>{m.account.confirmPassword.why}</p>
      <Field label={m.common.password}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        )}
      </Field>
    </ConfirmDialog>
  )
  return { confirmingPassword, dialog }
}
