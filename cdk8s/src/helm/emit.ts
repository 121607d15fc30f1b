// Writes templates as YAML with Helm actions. Every scalar is emitted as JSON (`toJson` for
// computed ones), so YAML never re-types a value; decisions become if/else around whole
// entries or list items, written so that `{{-` trims them out of the output.
import { ABSENT, DONT_CARE, type Tree, treesEqual } from './decision-tree.ts'
import { EmitterError, FIXES } from './errors.ts'
import type { Json, Template } from './merge.ts'
import type { Path } from './schema-model.ts'
import type { Choice, ChoiceValue } from './sentinel-config.ts'
import { NUMBER_TOKEN, STRING_TOKEN, type Token, type TokenRegistry } from './tokens.ts'

/** The variables a template body refers to; each file declares those it uses. */
export type Variable = 'cfg' | 'release' | 'namespace'

type CondLeaf = Template | typeof ABSENT | typeof DONT_CARE

/** What the enclosing if-blocks already established: choice id -> values still possible. */
type Known = ReadonlyMap<string, readonly ChoiceValue[]>
const NOTHING_KNOWN: Known = new Map()

export class Emitter {
  private readonly lines: string[] = []
  readonly used = new Set<Variable>()

  private readonly tokens: TokenRegistry
  /** Prefix of the chart's named templates, e.g. `helpdesk`. */
  private readonly prefix: string

  constructor(tokens: TokenRegistry, prefix: string) {
    this.tokens = tokens
    this.prefix = prefix
  }

  text(): string {
    return `${this.lines.join('\n')}\n`
  }

  document(template: Template, known: Known = NOTHING_KNOWN): void {
    if (template.t === 'cond') {
      this.cond(template.tree, 0, known, (branch, facts) => this.document(branch, facts))
    } else {
      this.entries(asMap(template), 0, known)
    }
  }

  private entries(entries: [string, Template][], indent: number, known: Known): void {
    const isSpread = (key: string) => this.tokens.whole(key)?.kind === 'map'
    const spreads = entries.filter(([key]) => isSpread(key))
    const configured = spreads.length ? this.mapsExpression(spreads.map(([key]) => key)) : undefined
    let spread = false
    for (const [key, template] of entries) {
      if (isSpread(key)) {
        if (spread) continue
        spread = true
        this.line(indent, `{{- range $key, $value := ${configured} }}`)
        this.line(indent, '{{ $key | toJson }}: {{ $value | toJson }}')
        this.line(indent, '{{- end }}')
      } else if (configured) {
        // Configured keys win over computed ones.
        this.line(indent, `{{- if not (hasKey ${configured} ${JSON.stringify(key)}) }}`)
        this.entry(key, template, indent, known)
        this.line(indent, '{{- end }}')
      } else {
        this.entry(key, template, indent, known)
      }
    }
    const computed = entries.filter(([key]) => !isSpread(key))
    if (configured && computed.every(([, template]) => template.t === 'cond')) {
      // Every entry may be absent: an empty map must render as {} (a bare `key:` is null).
      const present = computed.map(([, template]) =>
        this.presence((template as Extract<Template, { t: 'cond' }>).tree, known),
      )
      this.line(indent, `{{- if not (or (gt (len ${configured}) 0) ${present.join(' ')}) }}`)
      this.line(indent, '{}')
      this.line(indent, '{{- end }}')
    }
  }

  /** A condition that holds when a decision yields something (not ABSENT). */
  private presence(tree: Tree<CondLeaf>, known: Known): string {
    if (tree.kind === 'leaf') {
      return tree.value === ABSENT || tree.value === DONT_CARE ? 'false' : 'true'
    }
    const possible = known.get(tree.choice.id) ?? tree.choice.values
    const branches = groupBranches(tree, possible).flatMap((group) => {
      const inner = this.presence(group.tree, new Map([...known, [tree.choice.id, group.values]]))
      const condition = `(${this.condition(tree.choice, group.values)})`
      if (inner === 'false') return []
      return [inner === 'true' ? condition : `(and ${condition} ${inner})`]
    })
    if (branches.length === 0) return 'false'
    return branches.length === 1 ? (branches[0] as string) : `(or ${branches.join(' ')})`
  }

  /** One configured map, or several merged (later ones win, as in a JS object spread). */
  private mapsExpression(keys: string[]): string {
    const paths = keys.map((key) => this.path((this.tokens.whole(key) as { path: Path }).path))
    return paths.length === 1 ? (paths[0] as string) : `(mergeOverwrite (dict) ${paths.join(' ')})`
  }

  private entry(key: string, template: Template, indent: number, known: Known): void {
    const label = yamlKey(key)
    if (template.t === 'cond') {
      const passThrough = this.passThrough(template.tree, known)
      if (passThrough) this.line(indent, `${label}: ${passThrough}`)
      else
        this.cond(template.tree, indent, known, (branch, facts) =>
          this.entry(key, branch, indent, facts),
        )
      return
    }
    const inline = this.inlineCollection(template)
    if (inline !== undefined) {
      this.line(indent, `${label}: ${inline}`)
    } else if (template.t === 'const' && !isCollection(template.value)) {
      this.line(indent, `${label}: ${this.scalar(template.value)}`)
    } else if (isMapTemplate(template)) {
      this.line(indent, `${label}:`)
      this.entries(asMap(template), indent + 2, known)
    } else {
      this.line(indent, `${label}:`)
      for (const item of asList(template)) this.item(item, indent + 2, known)
    }
  }

  private item(template: Template, indent: number, known: Known): void {
    if (template.t === 'cond') {
      const passThrough = this.passThrough(template.tree, known)
      if (passThrough) this.line(indent, `- ${passThrough}`)
      else
        this.cond(template.tree, indent, known, (branch, facts) => this.item(branch, indent, facts))
      return
    }
    const listToken = template.t === 'const' ? this.tokens.whole(template.value) : undefined
    if (listToken?.kind === 'list') {
      this.line(indent, `{{- range ${this.path(listToken.path)} }}`)
      this.line(indent, '- {{ toJson . }}')
      this.line(indent, '{{- end }}')
      return
    }
    const inline = this.inlineCollection(template)
    if (inline !== undefined) {
      this.line(indent, `- ${inline}`)
    } else if (template.t === 'const' && !isCollection(template.value)) {
      this.line(indent, `- ${this.scalar(template.value)}`)
    } else if (isMapTemplate(template)) {
      const start = this.lines.length
      this.entries(asMap(template), indent + 2, known)
      const first = this.lines[start]
      if (first !== undefined && !first.trimStart().startsWith('{{-')) {
        this.lines[start] = `${' '.repeat(indent)}- ${first.trimStart()}`
      } else {
        this.lines.splice(start, 0, `${' '.repeat(indent)}-`)
      }
    } else {
      this.line(indent, '-')
      for (const item of asList(template)) this.item(item, indent + 2, known)
    }
  }

  /**
   * A decision whose every branch yields the choice's own value (an enum or boolean passed
   * through, possibly as a string): just the configured value.
   */
  private passThrough(tree: Tree<CondLeaf>, known: Known): string | undefined {
    if (tree.kind !== 'split' || (tree.choice.kind !== 'enum' && tree.choice.kind !== 'boolean')) {
      return undefined
    }
    const possible = known.get(tree.choice.id) ?? tree.choice.values
    const branches = tree.branches.filter((branch) => possible.includes(branch.value))
    const asString = branches.every(({ value, tree: child }) => isConst(child, String(value)))
    const asItself = branches.every(({ value, tree: child }) => isConst(child, value))
    if (asItself) return `{{ ${this.path(tree.choice.path)} | toJson }}`
    if (asString) return `{{ toString ${this.path(tree.choice.path)} | toJson }}`
    return undefined
  }

  /** `{}`, `[]`, or configured lists/maps that stand alone: written on the key's line. */
  private inlineCollection(template: Template): string | undefined {
    if (isMapTemplate(template)) {
      const entries = asMap(template)
      if (entries.length === 0) return '{}'
      const spreads = entries.map(([key]) => key)
      if (spreads.every((key) => this.tokens.whole(key)?.kind === 'map')) {
        return `{{ toJson ${this.mapsExpression(spreads)} }}`
      }
      return undefined
    }
    if (template.t === 'list' || (template.t === 'const' && Array.isArray(template.value))) {
      const items = asList(template)
      if (items.length === 0) return '[]'
      const lists = items.map((item) =>
        item.t === 'const' ? this.tokens.whole(item.value) : undefined,
      )
      if (lists.every((token) => token?.kind === 'list')) {
        // Spliced configured lists only: all of them may be empty, and `key:` alone is null.
        const paths = lists.map((token) => this.path((token as { path: Path }).path))
        return paths.length === 1
          ? `{{ toJson ${paths[0]} }}`
          : // concat of empty lists is nil (null in JSON): default makes it [].
            `{{ toJson (default (list) (concat ${paths.join(' ')})) }}`
      }
    }
    return undefined
  }

  private cond(
    tree: Tree<CondLeaf>,
    indent: number,
    known: Known,
    body: (template: Template, known: Known) => void,
  ): void {
    if (tree.kind === 'leaf') {
      if (tree.value !== ABSENT && tree.value !== DONT_CARE) body(tree.value, known)
      return
    }
    const possible = known.get(tree.choice.id) ?? tree.choice.values
    const groups = groupBranches(tree, possible)
    const emitted = groups.filter((group) => !isAbsent(group.tree))
    const hasAbsent = emitted.length < groups.length
    const within = (values: readonly ChoiceValue[]) => new Map([...known, [tree.choice.id, values]])
    const [single] = emitted
    if (emitted.length === 1 && !hasAbsent && single) {
      this.cond(single.tree, indent, within(single.values), body)
      return
    }
    emitted.forEach((group, index) => {
      const last = index === emitted.length - 1
      if (last && index > 0 && !hasAbsent) {
        this.line(indent, '{{- else }}')
      } else {
        const keyword = index === 0 ? 'if' : 'else if'
        this.line(indent, `{{- ${keyword} ${this.condition(tree.choice, group.values)} }}`)
      }
      this.cond(group.tree, indent, within(group.values), body)
    })
    if (emitted.length > 0) this.line(indent, '{{- end }}')
  }

  /** A Go template condition that holds when `choice` has one of `values`. */
  condition(choice: Choice, values: readonly ChoiceValue[]): string {
    const parent = choice.path.slice(0, -1)
    const key = choice.path.at(-1) as string
    switch (choice.kind) {
      case 'presence':
        return values[0] === true
          ? `hasKey ${this.path(parent)} ${JSON.stringify(key)}`
          : `not (hasKey ${this.path(parent)} ${JSON.stringify(key)})`
      case 'boolean':
        return values[0] === true ? this.path(choice.path) : `not ${this.path(choice.path)}`
      case 'exclusive':
        return anyOf(
          values.map((member) => `hasKey ${this.path(choice.path)} ${JSON.stringify(member)}`),
        )
      case 'enum':
        return anyOf(values.map((value) => `eq ${this.path(choice.path)} ${JSON.stringify(value)}`))
    }
  }

  /** A Go template expression for a configuration path, e.g. `$cfg.api.replicas`. */
  path(path: Path): string {
    this.used.add('cfg')
    const unusable = path.find((key) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
    if (unusable !== undefined) {
      throw new EmitterError(
        `the values key "${unusable}" (in ${path.join('.')}) cannot be read by a template`,
        FIXES.templateKey,
      )
    }
    return ['$cfg', ...path].join('.')
  }

  scalar(value: Json): string {
    if (typeof value === 'string') {
      if (/x0h\d/i.test(value.replace(new RegExp(STRING_TOKEN.source, 'g'), ''))) {
        throw new EmitterError(
          `the string "${value}" holds part of a configured string`,
          FIXES.cutString,
        )
      }
      if (hasToken(value)) return `{{ ${this.stringExpression(value)} | toJson }}`
      if (value.includes('{{') || value.includes('}}'))
        return `{{ ${JSON.stringify(value)} | toJson }}`
      return JSON.stringify(value)
    }
    if (typeof value === 'number') {
      const token = this.tokens.whole(value)
      return token
        ? `{{ ${this.tokenExpression(token, false).expression} | toJson }}`
        : String(value)
    }
    return JSON.stringify(value)
  }

  /** A string expression for text with placeholders in it. */
  stringExpression(text: string): string {
    const pattern = new RegExp(`${STRING_TOKEN.source}|${NUMBER_TOKEN.source}`, 'g')
    let last = 0
    const pieces: ({ literal: string } | { token: Token })[] = []
    for (const match of text.matchAll(pattern)) {
      if (match.index > last) pieces.push({ literal: text.slice(last, match.index) })
      const token =
        match[1] === undefined
          ? this.tokens.numberToken(match[2] as string)
          : this.tokens.get(Number(match[1]))
      pieces.push({ token })
      last = match.index + match[0].length
    }
    if (last < text.length) pieces.push({ literal: text.slice(last) })
    const literal = pieces.flatMap((piece) => ('literal' in piece ? [piece.literal] : [])).join('')
    if (/x0h\d/i.test(literal)) {
      throw new EmitterError(
        `the string "${text}" holds part of a configured string`,
        FIXES.cutString,
      )
    }
    const only = pieces.length === 1 ? pieces[0] : undefined
    if (only && 'token' in only) {
      const { expression, verb } = this.tokenExpression(only.token, true)
      // A number placeholder inside a string must render as a string, not a number.
      return verb === '%s' ? expression : `(printf ${JSON.stringify(verb)} ${expression})`
    }
    let format = ''
    const args: string[] = []
    for (const piece of pieces) {
      if ('literal' in piece) {
        format += piece.literal.replaceAll('%', '%%')
      } else {
        const { expression, verb } = this.tokenExpression(piece.token, true)
        format += verb
        args.push(expression)
      }
    }
    return `(printf ${JSON.stringify(format)} ${args.join(' ')})`
  }

  private tokenExpression(token: Token, inString: boolean): { expression: string; verb: string } {
    switch (token.kind) {
      case 'value':
        if (!token.number || !inString) return { expression: this.path(token.path), verb: '%s' }
        // Integers print whole (fromJson makes every number a float64); fractions as Go's %v,
        // which matches JavaScript's String() for the values the schemas allow.
        return token.integer
          ? { expression: `(int64 ${this.path(token.path)})`, verb: '%d' }
          : { expression: this.path(token.path), verb: '%v' }
      case 'release':
        this.used.add('release')
        return { expression: '$release', verb: '%s' }
      case 'namespace':
        this.used.add('namespace')
        return { expression: '$namespace', verb: '%s' }
      case 'join':
        return {
          expression: `(join ${JSON.stringify(token.separator)} ${this.path(token.path)})`,
          verb: '%s',
        }
      case 'hash': {
        const scope = this.scope()
        const cut = token.length < 64 ? ` | trunc ${token.length}` : ''
        return {
          expression: `(include "${this.prefix}.hash.${token.id}" ${scope} | fromYaml | toJson | sha256sum${cut})`,
          verb: '%s',
        }
      }
      case 'generated':
        this.used.add('namespace')
        return {
          expression: `(include "${this.prefix}.generatedCredential" (list $namespace ${this.stringExpression(token.secretName)} ${JSON.stringify(token.key)} ${token.length}))`,
          verb: '%s',
        }
      case 'list':
      case 'map':
        throw new EmitterError(
          `a configured ${token.kind} (${token.path.join('.')}) is part of a string`,
          token.kind === 'list' ? FIXES.listInString : FIXES.keyFromValue,
        )
    }
  }

  /** The dict a named template receives: the variables of the including file. */
  scope(): string {
    this.used.add('cfg')
    this.used.add('release')
    this.used.add('namespace')
    return '(dict "cfg" $cfg "release" $release "namespace" $namespace)'
  }

  private line(indent: number, text: string): void {
    this.lines.push(`${' '.repeat(indent)}${text}`)
  }
}

function groupBranches(
  tree: Extract<Tree<CondLeaf>, { kind: 'split' }>,
  possible: readonly ChoiceValue[],
) {
  const groups: { values: ChoiceValue[]; tree: Tree<CondLeaf> }[] = []
  for (const branch of tree.branches) {
    if (!possible.includes(branch.value)) continue
    if (branch.tree.kind === 'leaf' && branch.tree.value === DONT_CARE) continue
    const group = groups.find((candidate) => treesEqual(candidate.tree, branch.tree))
    if (group) group.values.push(branch.value)
    else groups.push({ values: [branch.value], tree: branch.tree })
  }
  return groups
}

function isConst(tree: Tree<CondLeaf>, value: ChoiceValue): boolean {
  return (
    tree.kind === 'leaf' &&
    typeof tree.value === 'object' &&
    tree.value.t === 'const' &&
    tree.value.value === value
  )
}

function isAbsent(tree: Tree<CondLeaf>): boolean {
  return tree.kind === 'leaf' && tree.value === ABSENT
}

function anyOf(conditions: string[]): string {
  return conditions.length === 1
    ? (conditions[0] as string)
    : `or ${conditions.map((c) => `(${c})`).join(' ')}`
}

function hasToken(text: string): boolean {
  return new RegExp(`${STRING_TOKEN.source}|${NUMBER_TOKEN.source}`).test(text)
}

function isCollection(value: Json): boolean {
  return value !== null && typeof value === 'object'
}

function isMapTemplate(template: Template): boolean {
  return (
    template.t === 'map' ||
    (template.t === 'const' && isCollection(template.value) && !Array.isArray(template.value))
  )
}

function asMap(template: Template): [string, Template][] {
  if (template.t === 'map') return template.entries
  if (template.t === 'const' && isCollection(template.value) && !Array.isArray(template.value)) {
    return Object.entries(template.value as Record<string, Json>).map(([key, value]) => [
      key,
      { t: 'const', value },
    ])
  }
  throw new Error(`expected a map template, got ${JSON.stringify(template)}`)
}

function asList(template: Template): Template[] {
  if (template.t === 'list') return template.items
  if (template.t === 'const' && Array.isArray(template.value)) {
    return template.value.map((value) => ({ t: 'const', value }))
  }
  throw new Error(`expected a list template, got ${JSON.stringify(template)}`)
}

function yamlKey(key: string): string {
  if (hasToken(key)) {
    throw new EmitterError(`the map key "${key}" is a configured value`, FIXES.keyFromValue)
  }
  return /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(key) ? key : JSON.stringify(key)
}
