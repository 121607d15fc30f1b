import { createElement, Fragment, type ReactNode } from 'react'

// The UI's one language: every message, date and number on screen is in it, never the
// browser's own, so a page never mixes two ("Updated vor 6 Stunden").

/** index.html's `lang` says the same to browsers and screen readers. */
export const UI_LOCALE = 'en'

const pluralRules = new Intl.PluralRules(UI_LOCALE)

/** The form of `forms` the UI language uses for `count`, with `#` standing for the count. */
export function plural(
  count: number,
  forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string },
): string {
  const form = forms[pluralRules.select(count)] ?? forms.other
  return form.replaceAll('#', String(count))
}

/**
 * A sentence with parts that are more than text (a link), written as one template so that a
 * translator sees and orders the whole sentence: rich`${link} to carry on working.`
 */
export function rich(strings: TemplateStringsArray, ...parts: ReactNode[]): ReactNode {
  const pieces = strings.flatMap((text, index) =>
    index < parts.length ? [text, parts[index]] : [text],
  )
  return createElement(Fragment, null, ...pieces)
}
