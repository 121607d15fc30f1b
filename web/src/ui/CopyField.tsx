// A secret shown once, with a copy button. Where the clipboard is unavailable (plain HTTP),
// the text is selected so the person can copy it themselves.
import { useId, useRef, useState } from 'react'
import { messages as m } from '../i18n/messages.ts'

export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const [copied, setCopied] = useState('')

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied(m.common.copied)
    } catch {
      input.current?.select()
      setCopied(m.common.copySelected)
    }
  }

  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="inline-form">
        <input
          ref={input}
          id={id}
          readOnly
          value={value}
          className="monospace"
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="button" onClick={copy}>
          {m.common.copy}
        </button>
      </div>
      <p className="status-line" role="status">
        {copied}
      </p>
    </div>
  )
}
