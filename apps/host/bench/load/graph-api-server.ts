/**
 * The fake Graph API (`test/fakes/graph-api.ts`) in its own process, for the host's outbox worker to send to
 * during load runs. It forgets its recorded requests every 2 seconds so a long soak does not grow it; the
 * load script counts sends from the outbox table instead. Prints `{"port":N,"accessToken":…}` when listening.
 */
import { startFakeGraphApi } from "../../../../test/fakes/graph-api.js"

const accessToken = process.env.FAKE_GRAPH_ACCESS_TOKEN ?? "load-access-token"
const fake = await startFakeGraphApi({ accessToken })
let sent = 0
setInterval(() => {
  sent += fake.messages().length
  fake.reset()
}, 2_000).unref()
process.stdout.write(`${JSON.stringify({ port: fake.port, baseUrl: fake.baseUrl, accessToken })}\n`)
process.on("SIGTERM", () => {
  sent += fake.messages().length
  process.stderr.write(`${JSON.stringify({ messagesReceived: sent })}\n`)
  void fake.close().then(() => process.exit(0))
})
