// The chart is generated from the constructs, not written by hand: for many generated value
// sets, `helm template` and the constructs' own render of the same values give the same
// objects (generated credentials excepted, their random values differ by design).
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  helpdeskValues,
  namespaceName,
  operatorValues,
  releaseName,
} from './support/arbitraries.ts'
import {
  comparable,
  helmTemplate,
  OPERATOR_CHART,
  operatorObjects,
  synthObjects,
} from './support/charts.ts'

/** Runs per chart: each is one `helm template` (~0.2 s) and one render. */
const RUNS = { helpdesk: 60, operator: 20 }

describe('helm template equals the construct render', () => {
  it(`charts/helpdesk, ${RUNS.helpdesk} generated value sets`, async () => {
    await fc.assert(
      fc.asyncProperty(
        helpdeskValues,
        releaseName,
        namespaceName,
        async (values, release, namespace) => {
          const options = { release, namespace, tests: true }
          expect(comparable(await helmTemplate(values, options))).toEqual(
            comparable(synthObjects(values, options)),
          )
        },
      ),
      { numRuns: RUNS.helpdesk },
    )
  }, 300_000)

  it(`charts/helpdesk-operator, ${RUNS.operator} generated value sets`, async () => {
    await fc.assert(
      fc.asyncProperty(
        operatorValues,
        releaseName,
        namespaceName,
        async (values, release, namespace) => {
          const rendered = await helmTemplate(values, { chart: OPERATOR_CHART, release, namespace })
          const expected = operatorObjects(values, release, namespace)
          expect(comparable(rendered)).toEqual(comparable(expected))
        },
      ),
      { numRuns: RUNS.operator },
    )
  }, 120_000)
})
