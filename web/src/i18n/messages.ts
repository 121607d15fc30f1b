// The catalogue the UI shows: components read every text from here, never from literals.
import { en } from './en.ts'

/** The UI's messages, in `UI_LOCALE`; another language is a catalogue of the same type. */
export const messages = en
