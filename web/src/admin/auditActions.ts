// The audit log in words: each recorded action as what its actor did, with the target's name
// where the catalogue's phrase puts it ("added the user Ada"). The action's own id stays on
// screen beside it, for the filter and for searching the logs.
import type { ReactNode } from 'react'
import type { AuditEvent } from '../api/types.ts'
import { messages as m } from '../i18n/messages.ts'
import { humanize } from '../ui/format.ts'

type Phrase = string | ((values: { target: ReactNode }) => ReactNode)

const PHRASES: Record<string, Phrase | undefined> = m.audit.actions
const UNNAMED: Record<string, string | undefined> = m.audit.unnamed

/** What the actor did; `shown` gives the target's name its look on the page. */
export function describeAuditEvent(
  event: AuditEvent,
  shown: (target: string) => ReactNode,
): ReactNode {
  const phrase = PHRASES[event.action]
  if (phrase === undefined) {
    const [area = '', what = ''] = event.action.split('.')
    const action = humanize(what).toLowerCase()
    return event.targetType
      ? m.audit.unknownActionOn({ action, area, target: shown(targetLabel(event)) })
      : m.audit.unknownAction({ action, area })
  }
  return typeof phrase === 'string' ? phrase : phrase({ target: shown(targetLabel(event)) })
}

function targetLabel(event: AuditEvent): string {
  if (event.targetName) return event.targetName
  return (
    UNNAMED[event.targetType ?? ''] ?? humanize(event.targetType ?? m.audit.something).toLowerCase()
  )
}
