// The agent's keyboard shortcuts: one table, read by the pages that act on them and by the
// `?` overlay that lists them. Keys are single letters, as in the mail and helpdesk apps
// agents already know; they never fire while the agent types in a field or a dialog is open.
import { useEffect, useRef } from 'react'
import { messages as m } from '../i18n/messages.ts'

export const SHORTCUTS = [
  {
    id: 'next',
    key: 'j',
    where: m.shortcuts.places.queueAndTicket,
    what: m.shortcuts.actions.next,
  },
  {
    id: 'previous',
    key: 'k',
    where: m.shortcuts.places.queueAndTicket,
    what: m.shortcuts.actions.previous,
  },
  { id: 'search', key: '/', where: m.shortcuts.places.queue, what: m.shortcuts.actions.search },
  { id: 'reply', key: 'r', where: m.shortcuts.places.ticket, what: m.shortcuts.actions.reply },
  { id: 'note', key: 'n', where: m.shortcuts.places.ticket, what: m.shortcuts.actions.note },
  {
    id: 'assignToMe',
    key: 'a',
    where: m.shortcuts.places.ticket,
    what: m.shortcuts.actions.assignToMe,
  },
  { id: 'queue', key: 'u', where: m.shortcuts.places.ticket, what: m.shortcuts.actions.queue },
  { id: 'help', key: '?', where: m.shortcuts.places.anywhere, what: m.shortcuts.actions.help },
] as const

export type ShortcutId = (typeof SHORTCUTS)[number]['id']
export type ShortcutActions = Partial<Record<ShortcutId, () => void>>

/** Runs the action whose key was pressed, while the calling component is on screen. */
export function useShortcuts(actions: ShortcutActions): void {
  const latest = useRef(actions)
  latest.current = actions
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return
      const shortcut = SHORTCUTS.find((candidate) => candidate.key === event.key)
      const action = shortcut && latest.current[shortcut.id]
      if (!action) return
      event.preventDefault()
      action()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])
}

const NOT_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range'])

/** Keys typed into a field are text, not commands (a checkbox or a button is not a field). */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  if (target instanceof HTMLInputElement) return !NOT_TEXT_INPUTS.has(target.type)
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
}

/** Moves focus to the next (1) or previous (-1) link among `links`, from the focused one. */
export function moveFocus(links: HTMLElement[], step: 1 | -1): void {
  const at = links.indexOf(document.activeElement as HTMLElement)
  const index = at === -1 ? (step === 1 ? 0 : links.length - 1) : at + step
  const target = links[Math.min(links.length - 1, Math.max(0, index))]
  target?.focus()
  target?.scrollIntoView?.({ block: 'nearest' })
}
