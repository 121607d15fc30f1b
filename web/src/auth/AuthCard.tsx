// The frame of the pages a visitor sees before signing in.
import type { ReactNode } from 'react'
import { messages as m } from '../i18n/messages.ts'
import { PageHeading } from '../ui/PageHeading.tsx'

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="auth-page" tabIndex={-1}>
      <div className="auth-card">
        <p className="brand brand-large" aria-hidden="true">
          {m.shell.brand}
        </p>
        <PageHeading title={title} />
        {children}
      </div>
    </main>
  )
}
