// Which tickets of a queue the agent has ticked. Only tickets on screen count: one that left
// the list (changed by someone, or by the last bulk change) is no longer selected, and a new
// view (other filters) starts with nothing selected.
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { TicketSelection } from '../tickets/TicketList.tsx'

export function useTicketSelection(shownIds: readonly string[], viewKey: string): TicketSelection {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set())
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new view is the trigger
  useEffect(() => setChosen(new Set()), [viewKey])
  // A ticket that left the list is forgotten, so that it does not come back selected.
  useEffect(() => {
    setChosen((current) => {
      const kept = shownIds.filter((id) => current.has(id))
      return kept.length === current.size ? current : new Set(kept)
    })
  }, [shownIds])
  const ids = useMemo(() => shownIds.filter((id) => chosen.has(id)), [shownIds, chosen])
  const selected = useMemo(() => new Set(ids), [ids])
  const allShown = shownIds.length > 0 && ids.length === shownIds.length

  const toggle = useCallback((id: string) => {
    setChosen((current) => {
      const next = new Set(current)
      if (!next.delete(id)) next.add(id)
      return next
    })
  }, [])
  const toggleAll = useCallback(
    () => setChosen(allShown ? new Set() : new Set(shownIds)),
    [allShown, shownIds],
  )
  return { ids, isSelected: (id) => selected.has(id), toggle, allShown, toggleAll }
}
