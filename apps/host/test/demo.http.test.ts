import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind, hasRealPostgres } from "../../../test/support/TestDatabase.js"
import { ADMIN_KEY, eventually, startTestHost, type TestHost } from "../../../test/support/TestHost.js"

interface DemoChat {
  readonly lead_id: number | null
  readonly messages: ReadonlyArray<{ readonly direction: string; readonly body: string | null }>
}

const demoPost = (host: TestHost, body: unknown, key: string | null = ADMIN_KEY) =>
  fetch(`${host.url}/demo/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key === null ? {} : { "x-admin-api-key": key }) },
    body: typeof body === "string" ? body : JSON.stringify(body)
  })

describe(`console pages and the demo endpoints (${databaseKind})`, () => {
  let host: TestHost

  beforeAll(async () => {
    host = await startTestHost({ JOBS_ENABLED: "false" })
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  it("serves the console page, its script and styles with a same-origin script policy", async () => {
    const page = await fetch(`${host.url}/console`)
    expect(page.status).toBe(200)
    expect(page.headers.get("content-type")).toContain("text/html")
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'")
    const html = await page.text()
    expect(html).toContain('id="login-form"')
    expect(html).not.toContain(ADMIN_KEY)
    const script = await fetch(`${host.url}/console/console.js`)
    expect(script.headers.get("content-type")).toContain("javascript")
    expect(await script.text()).toContain("sessionStorage")
    expect((await fetch(`${host.url}/console/console.css`)).status).toBe(200)
  })

  it("POST /demo/messages signs a webhook payload server-side: the lead is created and welcomed", async () => {
    const from = "447700555101"
    const res = await demoPost(host, { from: "+44 7700 555101", name: "Demo Person", text: "Hello there" })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { sent: boolean; webhook: { received: boolean } }
    expect(body.sent).toBe(true)
    expect(body.webhook.received).toBe(true)
    const [lead] = await host.query<{ id: number; status: string; clientName: string }>("SELECT id, status, client_name FROM leads WHERE wa_from = $1", [from])
    expect(lead?.status).toBe("QUALIFYING")
    expect(lead?.clientName).toBe("Demo Person")
    const chat = await eventually(async () => {
      const r = (await (await fetch(`${host.url}/demo/messages?from=${from}`, { headers: { "x-admin-api-key": ADMIN_KEY } })).json()) as DemoChat
      return r.messages.some((m) => m.direction === "out") ? r : undefined
    }, 20_000)
    expect(chat.lead_id).toBe(lead!.id)
    expect(chat.messages[0]).toMatchObject({ direction: "in", body: "Hello there" })
  })

  it("bad demo input is a clear 400, a missing key a 401, and nothing is stored", async () => {
    const before = await host.query<{ n: number }>("SELECT count(*)::int AS n FROM leads")
    expect((await demoPost(host, "{not json")).status).toBe(400)
    for (const body of [{ from: "12", text: "hi" }, { from: "447700555102", text: "   " }, { from: "447700555102" }, { from: "447700555102", text: "x".repeat(5000) }, []]) {
      const res = await demoPost(host, body)
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400)
      expect(((await res.json()) as { message: string }).message.length).toBeGreaterThan(0)
    }
    expect((await demoPost(host, { from: "447700555102", text: "hi" }, null)).status).toBe(401)
    expect((await demoPost(host, { from: "447700555102", text: "hi" }, "wrong")).status).toBe(401)
    expect((await fetch(`${host.url}/demo/messages?from=abc`, { headers: { "x-admin-api-key": ADMIN_KEY } })).status).toBe(400)
    expect(await host.query<{ n: number }>("SELECT count(*)::int AS n FROM leads")).toEqual(before)
  })

  // Production needs DATABASE_URL, so this runs on the real PostgreSQL suite.
  it.skipIf(!hasRealPostgres)("in production every /demo path is a 404 (the console stays)", async () => {
    const prod = await startTestHost(
      {
        APP_ENV: "production",
        WHATSAPP_DRY_RUN: "false",
        WHATSAPP_ACCESS_TOKEN: "token",
        WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
        WHATSAPP_API_BASE_URL: "http://127.0.0.1:9",
        JOBS_ENABLED: "false"
      },
      { worker: false }
    )
    try {
      for (const path of ["/demo", "/demo/demo.js", "/demo/messages?from=447700555103"]) {
        expect((await fetch(`${prod.url}${path}`, { headers: { "x-admin-api-key": ADMIN_KEY } })).status, path).toBe(404)
      }
      expect((await demoPost(prod, { from: "447700555103", text: "hi" })).status).toBe(404)
      expect(await prod.query("SELECT 1 FROM leads WHERE wa_from = '447700555103'")).toEqual([])
      expect((await fetch(`${prod.url}/console`)).status).toBe(200)
    } finally {
      await prod.close()
    }
  }, 120_000)
})
