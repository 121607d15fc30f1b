// Placeholder entry point until the API platform lands: answers /livez on port 8080 and
// stops cleanly on Ctrl-C or SIGTERM.
import { createServer } from 'node:http'

const port = Number(process.env.PORT ?? 8080)
const server = createServer((request, response) => {
  if (request.url === '/livez') {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end('{"status":"ok"}')
    return
  }
  response.writeHead(404, { 'content-type': 'application/problem+json' })
  response.end(JSON.stringify({ type: 'not_found', title: 'Not Found', status: 404 }))
})
server.listen(port, () => process.stdout.write(`Helpdesk listening on http://localhost:${port}\n`))
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)))
}
