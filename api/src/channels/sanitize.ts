// A mail's HTML made safe to show (sanitize-html): no scripts, styles, forms, frames or event
// handlers; links only to http(s) and mailto, opening elsewhere; no remote content at all —
// images only as data: URLs, remote ones replaced by their alt text — and inline styles
// limited to harmless typography, so no CSS can overlay the page, hide text or fetch a URL.
import sanitizeHtml from 'sanitize-html'

const COLOR = /^(#[0-9a-f]{3,8}|[a-z]{3,20}|rgba?\(\s*[\d.\s%,]+\))$/i
const LENGTH = /^(0|[\d.]+(px|em|rem|%|pt))$/i

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'div',
    'span',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'sub',
    'sup',
    'small',
    'blockquote',
    'pre',
    'code',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'caption',
    'a',
    'img',
    'font',
    'center',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign'],
    table: ['border', 'cellpadding', 'cellspacing'],
    font: ['color'],
    '*': ['style', 'dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  allowedStyles: {
    '*': {
      color: [COLOR],
      'background-color': [COLOR],
      'font-weight': [/^(normal|bold|[1-9]00)$/],
      'font-style': [/^(normal|italic)$/],
      'text-decoration': [/^(none|underline|line-through)$/],
      'text-align': [/^(left|right|center|justify)$/],
      'font-size': [LENGTH],
      'padding-left': [LENGTH],
      'margin-left': [LENGTH],
    },
  },
  // Remote images would tell the sender when (and from where) the mail was read: an image
  // left without a (data:) source goes altogether.
  exclusiveFilter: (frame) =>
    frame.tag === 'img' && !/^data:image\//i.test(frame.attribs.src ?? ''),
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' },
    }),
  },
  nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'],
}

export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS)
}
