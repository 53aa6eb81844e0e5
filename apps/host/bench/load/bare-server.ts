/**
 * The baseline: a bare `node:http` server that answers the load script's requests the cheapest way it can
 * (read the body, parse the JSON, answer a small JSON document; GETs get a 50-row list of the same size as
 * `GET /admin/leads`). Run in its own process, like the host. Prints `{"port":N}` on stdout when listening.
 */
import { createServer } from "node:http"

const list = JSON.stringify({
  leads: Array.from({ length: 50 }, (_, i) => ({
    id: 100_000 - i,
    wa_from: "4477••••0042",
    client_name: `Client ${i}`,
    status: "PENDING_APPROVAL",
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
    status_changed_at: new Date().toISOString(),
    deposit_amount_pence: 5000,
    deposit_paid: false,
    flagged_reason: null,
    handover_reason: null
  })),
  total: 100_000,
  limit: 50,
  offset: 0
})

const server = createServer((req, res) => {
  const chunks: Array<Buffer> = []
  req.on("data", (c: Buffer) => chunks.push(c))
  req.on("end", () => {
    let body: string
    if (req.method === "POST") {
      let ok = true
      try {
        JSON.parse(Buffer.concat(chunks).toString("utf8"))
      } catch {
        ok = false
      }
      body = JSON.stringify({ received: ok })
      res.writeHead(ok ? 200 : 400, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    } else {
      body = list
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    }
    res.end(body)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  process.stdout.write(`${JSON.stringify({ port: typeof address === "object" && address !== null ? address.port : 0 })}\n`)
})
process.on("SIGTERM", () => server.close(() => process.exit(0)))
