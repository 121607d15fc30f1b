import { readFileSync } from 'node:fs'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const { version } = JSON.parse(
  readFileSync(new URL('./package.json', import.meta.url), 'utf8'),
) as { version: string }

// The app must run under the seed's CSP (script-src 'self', no eval): nothing below may emit
// inline scripts, and the build is checked for them (test/build.test.ts).
export default defineConfig({
  plugins: [react()],
  define: { __HELPDESK_WEB_VERSION__: JSON.stringify(version) },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2022',
    // Every browser the app supports preloads modules natively.
    modulePreload: { polyfill: false },
  },
  server: {
    // `make run` serves the API on 8080; the dev server forwards to it.
    proxy: { '/api': 'http://localhost:8080', '/healthz': 'http://localhost:8080' },
  },
})
