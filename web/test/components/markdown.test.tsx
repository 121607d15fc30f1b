/** @jest-environment jsdom */
// Markdown in messages: formatting renders, nothing a message says can run, load or style
// anything, and links open safely in a new tab.
import { describe, expect, it } from '@jest/globals'
import { render } from '@testing-library/react'
import MarkdownBody from '../../src/tickets/MarkdownBody.tsx'
import { renderMarkdown } from '../../src/tickets/markdown.ts'

const dom = (text: string) => {
  const container = document.createElement('div')
  container.innerHTML = renderMarkdown(text)
  return container
}

describe('Markdown in messages', () => {
  it('renders CommonMark: emphasis, lists, code, quotes and line breaks', () => {
    const html = renderMarkdown(
      '**Bold** and _soft_\nnext line\n\n- one\n- two\n\n1. first\n\n`inline`\n\n```\nraw <b>code</b>\n```\n\n> quoted',
    )
    expect(html).toBe(
      '<p><strong>Bold</strong> and <em>soft</em><br>\nnext line</p>\n' +
        '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n</ol>\n' +
        '<p><code>inline</code></p>\n<pre><code>raw &lt;b&gt;code&lt;/b&gt;\n</code></pre>\n' +
        '<blockquote>\n<p>quoted</p>\n</blockquote>\n',
    )
  })

  it('shows raw HTML as text: no script, no event handler, no iframe', () => {
    const container = dom(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n<iframe src="https://evil.example"></iframe>',
    )
    expect(container.querySelector('script, img, iframe, [onerror]')).toBeNull()
    expect(container.textContent).toContain('<script>alert(1)</script>')
    expect(container.textContent).toContain('<img src=x onerror="alert(2)">')
  })

  it('makes links clickable and safe, and drops script URLs', () => {
    const container = dom(
      '[docs](https://example.com/docs "The docs") and https://example.org too, ' +
        '[bad](javascript:alert(1)) [worse](data:text/html,<b>x</b>) [vb](vbscript:x)',
    )
    const links = [...container.querySelectorAll('a')]
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://example.com/docs',
      'https://example.org',
    ])
    for (const link of links) {
      expect(link.getAttribute('rel')).toBe('noopener noreferrer')
      expect(link.getAttribute('target')).toBe('_blank')
    }
    expect(links[0]?.getAttribute('title')).toBe('The docs')
    // Not links: left as the text that was typed.
    expect(container.textContent).toContain('[bad](javascript:alert(1))')
  })

  it('never loads a picture from elsewhere: an image is a link to it', () => {
    const container = dom('![the screenshot](https://tracker.example/pixel.png)')
    expect(container.querySelector('img')).toBeNull()
    const link = container.querySelector('a')
    expect(link?.textContent).toBe('the screenshot')
    expect(link?.getAttribute('href')).toBe('https://tracker.example/pixel.png')
  })

  it('needs no inline style and keeps headings below the page’s own', () => {
    const container = dom('# Title\n\n| a | b |\n|:--|--:|\n| 1 | 2 |')
    expect(container.querySelector('[style]')).toBeNull()
    expect(container.querySelector('h1, h2')).toBeNull()
    expect(container.querySelector('h3')?.textContent).toBe('Title')
    expect(container.querySelectorAll('td')).toHaveLength(2)
  })

  it('renders into the message body', () => {
    const { container } = render(<MarkdownBody text={'Hello **Carla**'} />)
    expect(container.innerHTML).toBe(
      '<div class="message-body markdown"><p>Hello <strong>Carla</strong></p>\n</div>',
    )
  })
})
