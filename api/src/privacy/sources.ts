import { accountsPersonalData } from '../accounts/personal-data.ts'
import { attachmentsPersonalData } from '../attachments/personal-data.ts'
import { auditPersonalData } from '../audit/personal-data.ts'
import { cannedResponsesPersonalData } from '../canned-responses/personal-data.ts'
import { mailPersonalData } from '../mail/personal-data.ts'
import { savedViewsPersonalData } from '../saved-views/personal-data.ts'
import { teamsPersonalData } from '../teams/personal-data.ts'
import { ticketsPersonalData } from '../tickets/personal-data.ts'
import type { PersonalDataSource } from './personal-data.ts'

/**
 * Every feature that stores personal data; export and erasure go through each of them, in
 * this order, inside one transaction.
 */
export const PERSONAL_DATA_SOURCES: readonly PersonalDataSource[] = [
  // Finds its rows by the address, which the accounts' erasure replaces.
  mailPersonalData,
  accountsPersonalData,
  teamsPersonalData,
  auditPersonalData,
  ticketsPersonalData,
  attachmentsPersonalData,
  cannedResponsesPersonalData,
  savedViewsPersonalData,
]
