// "Download my data": everything Helpdesk stores about the signed-in person, as one JSON file
// (the same export an admin can make for them; GDPR's right of access). The API audits it.
import { useState } from 'react'
import { users } from '../api/endpoints.ts'
import { useAction } from '../hooks/action.ts'
import { useSession } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { downloadFile } from '../ui/download.ts'
import { InlineError, StatusLine } from '../ui/States.tsx'

const EXPORT_FILE = 'my-helpdesk-data.json'

export function DataExportSection() {
  const { user } = useSession()
  const { busy, error, run } = useAction()
  const [status, setStatus] = useState('')
  const download = () => {
    setStatus('')
    return run(async () => {
      const data = await users.export(user.id)
      downloadFile(EXPORT_FILE, JSON.stringify(data, null, 2), 'application/json')
      setStatus(m.account.data.downloaded({ filename: EXPORT_FILE }))
    })
  }
  return (
    <section className="panel" aria-labelledby="export-heading">
      <h2 id="export-heading">{m.account.data.heading}</h2>
      <p>{m.account.data.what}</p>
      <button type="button" className="button" disabled={busy} onClick={download}>
        {busy ? m.account.data.preparing : m.account.data.download}
      </button>
      <InlineError error={error} />
      {status && <StatusLine message={status} />}
    </section>
  )
}
