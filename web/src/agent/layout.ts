// How an agent's queues are laid out: cards with room for tags (the default), or a compact
// table that fits two to three times as many tickets on a screen. A preference of this
// browser, kept across visits; storage that is refused (a private window) just forgets it.
import { useCallback, useState } from 'react'
import { messages as m } from '../i18n/messages.ts'

export const QUEUE_LAYOUTS = [
  { id: 'cards', label: m.queue.layouts.cards },
  { id: 'table', label: m.queue.layouts.table },
] as const
export type QueueLayout = (typeof QUEUE_LAYOUTS)[number]['id']

const STORAGE_KEY = 'helpdesk.queue-layout'

function stored(): QueueLayout {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'table' ? 'table' : 'cards'
  } catch {
    return 'cards'
  }
}

export function useQueueLayout(): [QueueLayout, (layout: QueueLayout) => void] {
  const [layout, setLayout] = useState<QueueLayout>(stored)
  const choose = useCallback((next: QueueLayout) => {
    setLayout(next)
    try {
      localStorage.setItem(STORAGE_KEY, next)
    } catch {
      // Kept for this page only.
    }
  }, [])
  return [layout, choose]
}
