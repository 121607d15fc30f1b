// The CRDs of the third-party kinds the chart can emit (Gateway API HTTPRoute, cert-manager
// Certificate, prometheus-operator ServiceMonitor and PrometheusRule), so that the API server validates those
// objects too. They come from the projects' Go modules through the Go module proxy, cached
// by Go in its module cache.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../../src/render/kube-object.ts'

const run = promisify(execFile)

const SOURCES = [
  {
    module: 'sigs.k8s.io/gateway-api@v1.3.0',
    files: ['config/crd/standard/gateway.networking.k8s.io_httproutes.yaml'],
  },
  {
    module: 'github.com/cert-manager/cert-manager@v1.18.2',
    files: ['deploy/crds/crd-certificates.yaml'],
  },
  {
    module: 'github.com/prometheus-operator/prometheus-operator@v0.85.0',
    files: [
      'example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml',
      'example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml',
    ],
  },
]

async function moduleDirectory(module: string): Promise<string> {
  const { stdout } = await run('go', ['mod', 'download', '-json', module], {
    cwd: tmpdir(),
    env: { ...process.env, GOFLAGS: '-mod=mod', GO111MODULE: 'on' },
    maxBuffer: 16 * 1024 * 1024,
  })
  const { Dir, Error: failure } = JSON.parse(stdout) as { Dir?: string; Error?: string }
  if (!Dir) throw new Error(`go mod download ${module} failed: ${failure}`)
  return Dir
}

/** The CRDs, ready to create. */
export async function thirdPartyCrds(): Promise<KubeObject[]> {
  const crds: KubeObject[] = []
  for (const source of SOURCES) {
    const directory = await moduleDirectory(source.module)
    for (const file of source.files) {
      for (const document of parseAllDocuments(readFileSync(path.join(directory, file), 'utf8'))) {
        const crd = document.toJS() as KubeObject | null
        if (crd?.kind !== 'CustomResourceDefinition') continue
        // cert-manager's file keeps its chart's template expressions in labels and annotations.
        const annotations = Object.entries(crd.metadata.annotations ?? {}).filter(
          ([, value]) => !value.includes('{{'),
        )
        crd.metadata = { name: crd.metadata.name, annotations: Object.fromEntries(annotations) }
        crds.push(crd)
      }
    }
  }
  return crds
}
