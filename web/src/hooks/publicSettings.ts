// Facts the API publishes before sign-in (self sign-up, the priorities customers may choose,
// attachment limit), fetched once.
import { auth } from '../api/endpoints.ts'
import type { PublicSettings, TicketPriority } from '../api/types.ts'
import { useLoad } from './data.ts'

let cached: Promise<PublicSettings> | undefined

function loadPublicSettings(): Promise<PublicSettings> {
  cached ??= auth.publicSettings().catch((error: unknown) => {
    cached = undefined
    throw error
  })
  return cached
}

export function usePublicSettings() {
  return useLoad('public-settings', loadPublicSettings)
}

/** Until the API has answered, its documented default (25 MiB). */
const DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024

export function useMaxAttachmentBytes(): number {
  const settings = usePublicSettings()
  return settings.result.state === 'ready'
    ? settings.result.data.maxAttachmentBytes
    : DEFAULT_MAX_ATTACHMENT_BYTES
}

/** Until the API has answered, its documented default: urgent is for staff to set. */
const DEFAULT_CUSTOMER_PRIORITIES: TicketPriority[] = ['low', 'normal', 'high']

/** The priorities a customer may choose for a new request, lowest first. */
export function useCustomerPriorities(): TicketPriority[] {
  const settings = usePublicSettings()
  return settings.result.state === 'ready'
    ? settings.result.data.customerPriorities
    : DEFAULT_CUSTOMER_PRIORITIES
}
