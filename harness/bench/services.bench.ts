// How long the harness needs to give a test run all four real services. The ceiling is
// the slowest single service started alone: starting them side by side cannot beat it.
import { performance } from 'node:perf_hooks'
import { reportRow } from '../src/bench/report.ts'
import { type ServiceName, startServices } from '../src/index.ts'

const ALL: ServiceName[] = ['postgres', 'redis', 's3', 'kubernetes']

async function timeStart(names: ServiceName[]): Promise<number> {
  const started = performance.now()
  const services = await startServices(names)
  const elapsed = performance.now() - started
  await services.stop()
  return elapsed
}

const single: number[] = []
for (const name of ALL) single.push(await timeStart([name]))
const together = await timeStart(ALL)
reportRow({
  name: 'harness: start Postgres, Redis, MinIO, etcd + kube-apiserver',
  figure: together,
  unit: 'ms',
  ceilingName: 'slowest service alone',
  ceiling: Math.max(...single),
})
