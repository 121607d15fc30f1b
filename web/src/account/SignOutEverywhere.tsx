// "Someone else may be signed in as me": end every session, on every device, and revoke
// every API token in one step.
import { useState } from 'react'
import { useSession } from '../hooks/session.tsx'
import { ConfirmDialog } from '../ui/Dialog.tsx'

export function SignOutEverywhere() {
  const { signOut } = useSession()
  const [confirming, setConfirming] = useState(false)
  return (
    <section className="panel" aria-labelledby="everywhere-heading">
      <h2 id="everywhere-heading">Sign out everywhere</h2>
      <p>
        Signs you out on every device, this one included, and revokes all your API tokens. Use it if
        a device was lost or you think someone else knows your password.
      </p>
      <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
        Sign out everywhere
      </button>
      <ConfirmDialog
        open={confirming}
        title="Sign out everywhere"
        confirmLabel="Sign out everywhere"
        destructive
        onConfirm={() => signOut({ everywhere: true })}
        onCancel={() => setConfirming(false)}
      >
        <p>Every session ends and every API token stops working at once.</p>
      </ConfirmDialog>
    </section>
  )
}
