// "Someone else may be signed in as me": end every session, on every device, and revoke
// every API token in one step.
import { useState } from 'react'
import { useSession } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { ConfirmDialog } from '../ui/Dialog.tsx'

export function SignOutEverywhere() {
  const { signOut } = useSession()
  const [confirming, setConfirming] = useState(false)
  return (
    <section className="panel" aria-labelledby="everywhere-heading">
      <h2 id="everywhere-heading">{m.account.everywhere.heading}</h2>
      <p>{m.account.everywhere.what}</p>
      <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
        {m.account.everywhere.heading}
      </button>
      <ConfirmDialog
        open={confirming}
        title={m.account.everywhere.heading}
        confirmLabel={m.account.everywhere.heading}
        destructive
        onConfirm={() => signOut({ everywhere: true })}
        onCancel={() => setConfirming(false)}
      >
        <p>{m.account.everywhere.confirm}</p>
      </ConfirmDialog>
    </section>
  )
}
