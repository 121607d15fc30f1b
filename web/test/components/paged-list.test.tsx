/** @jest-environment jsdom */
// A paged list refreshed by news keeps what the reader opened: after "Load more", a refresh
// reloads as many items as are shown (with their fresh contents), not just the first page.
import { describe, expect, it } from '@jest/globals'
import { act, renderHook, waitFor } from '@testing-library/react'
import type { Page } from '../../src/api/types.ts'
import { usePaged } from '../../src/hooks/data.ts'

/** A list of `total()` numbered items served `size` at a time, cursor = the next offset. */
function pagedSource(total: () => number, size: number) {
  const asked: (string | undefined)[] = []
  const load = async (cursor: string | undefined): Promise<Page<string>> => {
    asked.push(cursor)
    const from = Number(cursor ?? 0)
    const to = Math.min(from + size, total())
    const items = Array.from({ length: to - from }, (_, index) => `item ${from + index}`)
    return { items, nextCursor: to < total() ? String(to) : null }
  }
  return { load, asked }
}

describe('usePaged', () => {
  it('reloads every page the reader has loaded, and only those', async () => {
    let total = 12
    const source = pagedSource(() => total, 5)
    const { result } = renderHook(() => usePaged('queue', source.load))
    await waitFor(() => expect(result.current.items).toHaveLength(5))
    act(() => result.current.loadMore())
    await waitFor(() => expect(result.current.items).toHaveLength(10))

    total = 13
    source.asked.length = 0
    act(() => result.current.reload())
    await waitFor(() => expect(source.asked).toEqual([undefined, '5']))
    await waitFor(() => expect(result.current.items).toHaveLength(10))
    expect(result.current.hasMore).toBe(true)
    act(() => result.current.loadMore())
    await waitFor(() => expect(result.current.items).toHaveLength(13))
    expect(result.current.hasMore).toBe(false)
  })

  it('keeps a "Load more" that a refresh overtakes', async () => {
    const source = pagedSource(() => 12, 5)
    let holdNext = false
    let release = () => {}
    const load = async (cursor: string | undefined) => {
      if (holdNext && cursor !== undefined) {
        holdNext = false
        await new Promise<void>((resolve) => {
          release = resolve
        })
      }
      return source.load(cursor)
    }
    const { result } = renderHook(() => usePaged('queue', load))
    await waitFor(() => expect(result.current.items).toHaveLength(5))
    holdNext = true
    act(() => result.current.loadMore())
    await waitFor(() => expect(result.current.loadingMore).toBe(true))
    act(() => result.current.reload())
    await waitFor(() => expect(result.current.items).toHaveLength(10))
    await act(async () => release())
    expect(result.current.items).toEqual(Array.from({ length: 10 }, (_, index) => `item ${index}`))
  })

  it('starts again from the first page when the key changes', async () => {
    const source = pagedSource(() => 12, 5)
    const { result, rerender } = renderHook(({ key }) => usePaged(key, source.load), {
      initialProps: { key: 'open' },
    })
    await waitFor(() => expect(result.current.items).toHaveLength(5))
    act(() => result.current.loadMore())
    await waitFor(() => expect(result.current.items).toHaveLength(10))

    source.asked.length = 0
    rerender({ key: 'closed' })
    await waitFor(() => expect(result.current.state).toBe('ready'))
    expect(source.asked).toEqual([undefined])
    expect(result.current.items).toHaveLength(5)
  })
})
