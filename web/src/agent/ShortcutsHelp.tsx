// The `?` overlay: every keyboard shortcut, from the one table the pages act on.
import { useState } from 'react'
import { messages as m } from '../i18n/messages.ts'
import { Dialog } from '../ui/Dialog.tsx'
import { SHORTCUTS, useShortcuts } from './shortcuts.ts'

export function ShortcutsHelp() {
  const [open, setOpen] = useState(false)
  useShortcuts({ help: () => setOpen(true) })
  return (
    <Dialog open={open} title={m.shortcuts.heading} onCancel={() => setOpen(false)}>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{m.shortcuts.key}</th>
            <th scope="col">{m.shortcuts.what}</th>
            <th scope="col">{m.shortcuts.where}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.id}>
              <td>
                <kbd>{shortcut.key}</kbd>
              </td>
              <td>{shortcut.what}</td>
              <td>{shortcut.where}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{m.shortcuts.inFields}</p>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={() => setOpen(false)}>
          {m.shortcuts.close}
        </button>
      </div>
    </Dialog>
  )
}
