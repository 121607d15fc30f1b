// The TLS edge in front of a release, where a cloud load balancer or an ingress controller
// would be: Debian's nginx on the node's IP, port 443, terminating TLS for the release's host
// name and proxying to its web Service, with the headers an ingress sets. The browser reaches
// https://<host> through it (Chromium maps the name to the node's IP: nothing is looked up).
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  CHROMIUM_ARGS,
  launchBrowser,
  serviceDir,
  supervise,
  waitUntilReady,
} from '@helpdesk/harness'
import type { Browser } from 'playwright-core'
import { cluster } from './cluster.ts'
import type { Release } from './release.ts'

export interface Edge {
  /** https://<host> */
  url: string
  stop(): Promise<void>
}

function config(dir: string, nodeIp: string, host: string, upstream: string): string {
  return `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
user nobody nogroup;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 30m;
  server {
    listen ${nodeIp}:443 ssl;
    server_name ${host};
    ssl_certificate ${dir}/tls.crt;
    ssl_certificate_key ${dir}/tls.key;
    location / {
      proxy_pass ${upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto https;
      proxy_request_buffering off;
    }
  }
}
`
}

export async function startEdge(release: Release, host = 'helpdesk.local'): Promise<Edge> {
  const dir = serviceDir('edge')
  const key = path.join(dir, 'tls.key')
  const cert = path.join(dir, 'tls.crt')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  )
  const configFile = path.join(dir, 'nginx.conf')
  const { nodeIp } = cluster()
  writeFileSync(configFile, config(dir, nodeIp, host, release.webUrl))
  const nginx = supervise({
    name: 'edge nginx',
    command: '/usr/sbin/nginx',
    args: ['-c', configFile, '-g', 'daemon off;'],
    log: path.join(dir, 'nginx.log'),
  })
  await waitUntilReady(nginx, async () => {
    execFileSync('openssl', ['s_client', '-connect', `${nodeIp}:443`, '-servername', host], {
      input: '',
      stdio: ['pipe', 'ignore', 'ignore'],
      timeout: 5_000,
    })
    return true
  })
  return { url: `https://${host}`, stop: () => nginx.stop() }
}

/** Chromium that finds <host> at the node's IP and accepts the edge's test certificate. */
export function edgeBrowser(host = 'helpdesk.local'): Promise<Browser> {
  return launchBrowser({
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${host} ${cluster().nodeIp}`],
  })
}
