// Modal dialogs on the native <dialog>: the browser traps focus, closes on Escape, makes the
// page behind inert and returns focus to the opener.
import { type FormEvent, type ReactNode, useEffect, useId, useRef } from 'react'
import { useAction } from '../hooks/action.ts'
import { messages as m } from '../i18n/messages.ts'
import { InlineError } from './States.tsx'

export interface DialogProps {
  open: boolean
  title: string
  children: ReactNode
  /** Escape or the cancel button; omit for a dialog that must be completed. */
  onCancel?: () => void
  className?: string
}

export function Dialog({ open, title, children, onCancel, className }: DialogProps) {
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const element = dialog.current
    if (!element) return
    if (open && !element.open) element.showModal()
    if (!open && element.open) element.close()
  }, [open])
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      className={`dialog${className ? ` ${className}` : ''}`}
      onCancel={(event) => {
        event.preventDefault()
        onCancel?.()
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {open && children}
    </dialog>
  )
}

export interface ConfirmDialogProps {
  open: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  /** Red confirm button, for what cannot be undone. */
  destructive?: boolean
  /** E.g. until the person has typed what they are about to erase. */
  confirmDisabled?: boolean
  /** The dialog shows it under way, and why it failed until it succeeds or is cancelled. */
  onConfirm: () => Promise<void>
  onCancel: () => void
}

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  destructive = false,
  confirmDisabled = false,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const { busy, error, run, setError } = useAction()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!busy && !confirmDisabled) void run(onConfirm)
  }
  // The dialog stays mounted while closed: a failure must not greet the next opening.
  const cancel = () => {
    setError(null)
    onCancel()
  }
  return (
    <Dialog open={open} title={title} onCancel={cancel}>
      <form onSubmit={submit}>
        {children}
        <InlineError error={error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={cancel}>
            {m.common.cancel}
          </button>
          <button
            type="submit"
            className={`button ${destructive ? 'button-danger' : 'button-primary'}`}
            disabled={busy || confirmDisabled}
          >
            {busy ? m.common.working : confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
