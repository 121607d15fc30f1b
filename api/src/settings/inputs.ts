import { Settings } from './presenters.ts'

/** Omitted settings keep their value. */
export const SettingsChanges = Settings.partial()
