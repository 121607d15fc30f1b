// Messages are Markdown: CommonMark (with tables and strikethrough) rendered by markdown-it, raw
// HTML never passed through, then sanitized by DOMPurify to an allow-list of plain text
// formatting. Links open in a new tab with rel="noopener noreferrer"; images become links,
// so nobody's browser fetches a picture from elsewhere just by reading a ticket. Nothing needs
// inline script or style, so it all works under the seed's CSP.
import DOMPurify from 'dompurify'
import MarkdownIt from 'markdown-it'

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true })

// A message sits under the page's own headings: `#` becomes the third level, and so on.
markdown.core.ruler.push('demote_headings', (state) => {
  for (const token of state.tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') {
      token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 2)}`
    }
  }
})

markdown.renderer.rules.image = (tokens, index, options, env, self) => {
  const token = tokens[index]
  const src = String(token?.attrGet('src') ?? '')
  const alt = token ? self.renderInlineAsText(token.children ?? [], options, env) : ''
  const escapeHtml = markdown.utils.escapeHtml
  return `<a href="${escapeHtml(src)}">${escapeHtml(alt || src)}</a>`
}

const ALLOWED_TAGS = [
  ...['p', 'br', 'hr', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote'],
  ...['ul', 'ol', 'li', 'a', 'h3', 'h4', 'h5', 'h6'],
  ...['table', 'thead', 'tbody', 'tr', 'th', 'td'],
]

/** Its own instance: the link hook must not apply to anything else DOMPurify cleans. */
const purifier = DOMPurify(window)
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank')
    node.setAttribute('rel', 'noopener noreferrer')
  }
})

/** Safe HTML for a message's Markdown text. */
export function renderMarkdown(text: string): string {
  return purifier.sanitize(markdown.render(text), {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'title', 'start'],
  })
}
