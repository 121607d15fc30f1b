/** @jest-environment jsdom */
// Keyboard shortcuts act on single keys pressed on the page, never on keys typed into a field,
// held with a modifier (the browser's own shortcuts), or pressed while a dialog is open.
import { describe, expect, it, jest } from '@jest/globals'
import { fireEvent, render, screen } from '@testing-library/react'
import { useShortcuts } from '../../src/agent/shortcuts.ts'

function Page({ onNext }: { onNext: () => void }) {
  useShortcuts({ next: onNext })
  return (
    <div>
      <input aria-label="Search" type="search" />
      <input aria-label="Select" type="checkbox" />
      <textarea aria-label="Reply" />
      <button type="button">Act</button>
    </div>
  )
}

describe('useShortcuts', () => {
  it('acts on a key pressed on the page, a button or a checkbox', () => {
    const next = jest.fn()
    render(<Page onNext={next} />)
    fireEvent.keyDown(document.body, { key: 'j' })
    fireEvent.keyDown(screen.getByRole('button', { name: 'Act' }), { key: 'j' })
    fireEvent.keyDown(screen.getByLabelText('Select'), { key: 'j' })
    expect(next).toHaveBeenCalledTimes(3)
  })

  it('leaves keys typed in fields, with modifiers, or unknown alone', () => {
    const next = jest.fn()
    render(<Page onNext={next} />)
    fireEvent.keyDown(screen.getByLabelText('Search'), { key: 'j' })
    fireEvent.keyDown(screen.getByLabelText('Reply'), { key: 'j' })
    fireEvent.keyDown(document.body, { key: 'j', ctrlKey: true })
    fireEvent.keyDown(document.body, { key: 'j', metaKey: true })
    fireEvent.keyDown(document.body, { key: 'x' })
    expect(next).not.toHaveBeenCalled()
  })

  it('stays quiet while a dialog is open, and stops when its page goes away', () => {
    const next = jest.fn()
    const { unmount } = render(<Page onNext={next} />)
    const dialog = document.createElement('dialog')
    dialog.setAttribute('open', '')
    document.body.append(dialog)
    fireEvent.keyDown(document.body, { key: 'j' })
    dialog.remove()
    unmount()
    fireEvent.keyDown(document.body, { key: 'j' })
    expect(next).not.toHaveBeenCalled()
  })
})
