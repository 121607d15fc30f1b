// The output shape of a saved view (docs/api.md "Saved views").
import { z } from 'zod'
import type { SavedViewEntity } from './entities.ts'

export const SavedViewOut = z.object({
  id: z.uuid(),
  name: z.string(),
  query: z
    .string()
    .describe('The ticket list’s query string, keys in alphabetical order: compare it as text'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})
export type SavedViewOut = z.input<typeof SavedViewOut>

export function presentSavedView(view: SavedViewEntity): SavedViewOut {
  return {
    id: view.id,
    name: view.name,
    query: view.query,
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
  }
}
