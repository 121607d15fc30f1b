import { ticketsPersonalData } from '../tickets/personal-data.ts'
import { accountsPersonalData } from './accounts-data.ts'
import type { PersonalDataSource } from './personal-data.ts'

/** Every feature that stores personal data; export and erasure go through each of them. */
export const PERSONAL_DATA_SOURCES: readonly PersonalDataSource[] = [
  accountsPersonalData,
  ticketsPersonalData,
]
