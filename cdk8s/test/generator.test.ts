// The chart generator on a small schema of its own: every kind of choice (enum, boolean,
// optional field, exclusive group), free values, lists, maps, hashes and generated
// credentials, checked against helm for generated values.
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { serviceDir } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import { ApiObject, App } from 'cdk8s'
import fc from 'fast-check'
import { z } from 'zod'
import { generateChart } from '../src/helm/chart-generator.ts'
import { unionInOrder } from '../src/helm/merge.ts'
import { concreteContext, HelpdeskChart, type RenderContext } from '../src/render/context.ts'
import { chartObjects } from '../src/render/kube-object.ts'
import { resolveValues } from '../src/render/values.ts'
import { exactlyOneOf } from '../src/schema/rules.ts'
import { comparable, helmTemplate } from './support/charts.ts'

const toySchema = z.strictObject({
  name: z.string().default('toy'),
  size: z.number().int().min(0).default(3),
  mode: z.enum(['small', 'large', 'huge']).default('small'),
  flag: z.boolean().default(false),
  note: z.string().min(1).optional(),
  side: exactlyOneOf({
    left: z.strictObject({ count: z.number().int().default(1) }),
    right: z.strictObject({ label: z.string() }),
  }).prefault({ left: {} }),
  tags: z.array(z.string()).default([]),
  extra: z.record(z.string(), z.string()).default({}),
})
type Toy = z.output<typeof toySchema>

function toyObjects(values: Toy, context: RenderContext) {
  const chart = new HelpdeskChart(new App(), 'toy', context)
  const data: Record<string, string> = {
    name: values.name,
    size: String(values.size),
    summary: `${values.name} is ${values.mode}, ${values.size} big`,
    tags: context.joinList(values.tags, ','),
    flag: String(values.flag),
    ...(values.mode === 'huge' ? { warning: 'huge' } : {}),
    ...(values.note !== undefined ? { note: values.note } : {}),
    ...(values.side.left
      ? { count: String(values.side.left.count) }
      : { label: values.side.right?.label ?? '' }),
  }
  new ApiObject(chart, 'config', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${context.instance}-config`,
      annotations: {
        'checksum/data': context.contentHash('toy-data', { data }),
        fixed: 'kept',
        ...values.extra,
      },
    },
    data,
  })
  if (values.flag) {
    new ApiObject(chart, 'secret', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: `${context.instance}-secret`,
        annotations: { 'helpdesk.dev/generated': 'true' },
      },
      data: { password: context.generatedCredential(`${context.instance}-secret`, 'password', 16) },
      replicas: values.size,
    })
  }
  return chartObjects(chart)
}

function writeToyChart(): string {
  const directory = serviceDir('toy-chart')
  const { files } = generateChart({
    name: 'toy',
    valuesSchema: toySchema,
    components: [{ id: 'toy', render: (values, context) => toyObjects(values as Toy, context) }],
    metadata: { description: 'toy' },
    version: '0.1.0',
    appVersion: '0.1.0',
    valuesHeader: 'toy',
    notes: 'toy\n',
    releaseNameCheck: '',
    readme: 'toy\n',
  })
  for (const [name, content] of files) {
    mkdirSync(path.dirname(path.join(directory, name)), { recursive: true })
    writeFileSync(path.join(directory, name), content)
  }
  return directory
}

const toyValues = fc.record(
  {
    name: fc.constantFrom('toy', 'a"b', '50%', '{{x}}', 'ünï'),
    size: fc.integer({ min: 0, max: 2_000_000 }),
    mode: fc.constantFrom('small', 'large', 'huge'),
    flag: fc.boolean(),
    note: fc.constantFrom('n', 'yes', '007'),
    side: fc.oneof(
      fc.record({
        left: fc.record({ count: fc.integer({ min: 0, max: 9 }) }, { requiredKeys: [] }),
      }),
      fc.record({ right: fc.record({ label: fc.constantFrom('l', 'r&d') }) }),
    ),
    tags: fc.array(fc.constantFrom('a', 'b', 'c d'), { maxLength: 3 }),
    extra: fc.dictionary(fc.constantFrom('x.example/a', 'fixed'), fc.constantFrom('1', 'v'), {
      maxKeys: 2,
    }),
  },
  { requiredKeys: [] },
)

describe('the chart generator', () => {
  const chart = writeToyChart()

  it('renders, for generated values, what the constructs render', async () => {
    await fc.assert(
      fc.asyncProperty(toyValues, async (values) => {
        const expected = toyObjects(
          resolveValues(values as Record<string, unknown>, toySchema),
          concreteContext({ instance: 'demo', namespace: 'support', managedBy: 'Helm' }),
        )
        expect(
          comparable(await helmTemplate(values as Record<string, unknown>, { chart })),
        ).toEqual(comparable(expected))
      }),
      { numRuns: 25 },
    )
  }, 120_000)

  it('merges item sequences so that each keeps its order', () => {
    const merged = unionInOrder([
      ['a', 'b', 'd'],
      ['a', 'c', 'd'],
      ['b', 'c'],
    ])
    for (const sequence of [
      ['a', 'b', 'd'],
      ['a', 'c', 'd'],
      ['b', 'c'],
    ]) {
      expect(merged.filter((item) => sequence.includes(item))).toEqual(sequence)
    }
  })
})

describe('what a construct must not do with configured values (README "Rules for construct authors")', () => {
  /** A chart of one ConfigMap whose data `build` computes from the toy values. */
  const generate = (build: (values: Toy, context: RenderContext) => Record<string, unknown>) =>
    generateChart({
      name: 'rules',
      valuesSchema: toySchema,
      components: [
        {
          id: 'config',
          render: (values, context) => {
            const chart = new HelpdeskChart(new App(), 'rules', context)
            new ApiObject(chart, 'broken', {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: `${context.instance}-broken` },
              ...build(values as Toy, context),
            })
            return chartObjects(chart)
          },
        },
      ],
      metadata: {},
      version: '0.1.0',
      appVersion: '0.1.0',
      valuesHeader: 'rules',
      notes: 'rules\n',
      releaseNameCheck: '',
      readme: 'rules\n',
    })

  it.each([
    [
      'arithmetic on a configured number',
      (values: Toy) => ({ spec: { replicas: values.size + 1 } }),
      /the number \d+ is a configured number changed by arithmetic[\s\S]*Fix: configured values are opaque/,
    ],
    [
      'a cut configured string',
      (values: Toy) => ({ data: { short: values.name.slice(0, 4) } }),
      /holds part of a configured string[\s\S]*Fix: configured strings are placeholders/,
    ],
    [
      'a configured list inside a string',
      (values: Toy) => ({ data: { tags: `tags: ${values.tags}` } }),
      /a configured list \(tags\) is part of a string[\s\S]*Fix: join a configured list with context.joinList/,
    ],
    [
      'a configured string as a map key',
      (values: Toy) => ({ data: { [values.name]: 'x' } }),
      /the map key "x0h\d+x" is a configured value[\s\S]*Fix: a configured string cannot be a map key/,
    ],
  ])('%s: the error names the object, the construct and the fix', (_what, build, message) => {
    expect(() => generate(build)).toThrow(message)
    expect(() => generate(build)).toThrow(
      /rules, component config: v1\/ConfigMap\/x0h\d+x-broken \(construct rules\/broken\)/,
    )
  })
})
