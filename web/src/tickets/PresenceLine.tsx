// Who else is on this ticket right now, for staff: "Ada is replying", "Bob is viewing".
import type { PresentPerson } from '../api/types.ts'
import { presenceSentences } from './usePresence.ts'

export function PresenceLine({ others }: { others: readonly PresentPerson[] }) {
  const sentences = presenceSentences(others)
  // Always in the page, so screen readers announce each change of its words.
  return (
    <p className="presence-line" role="status">
      {sentences.length > 0 && `${sentences.join('. ')}.`}
    </p>
  )
}
