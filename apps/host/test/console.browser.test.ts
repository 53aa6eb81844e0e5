/**
 * The artist's console and the demo page in a real headless browser: Debian's chromium driven by
 * playwright-core. Skipped (with the reason printed) only when no chromium binary can be found;
 * `apt-get install -y chromium` provides it.
 */
import { existsSync } from "node:fs"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { ADMIN_KEY, eventually, startTestHost, type TestHost } from "../../../test/support/TestHost.js"

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((p): p is string => Boolean(p))
const executablePath = CANDIDATES.find((p) => existsSync(p))
if (executablePath === undefined) {
  console.warn(`console.browser.test: SKIPPED — no chromium found (looked at ${CANDIDATES.join(", ")}); install it with: apt-get install -y chromium`)
}

const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

describe.skipIf(executablePath === undefined)(`console and demo in headless chromium (${databaseKind})`, () => {
  let host: TestHost
  let browser: Browser

  beforeAll(async () => {
    host = await startTestHost({ JOBS_ENABLED: "false" })
    browser = await chromium.launch({ executablePath: executablePath!, headless: true, args: ARGS })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await host?.close()
  })

  const newPage = async (): Promise<Page> => {
    const page = await browser.newPage()
    page.setDefaultTimeout(20_000)
    return page
  }

  it("signs in, shows a lead with its answers and images, approves it, and the status changes", async () => {
    const [lead] = await host.query<{ id: number }>(
      "INSERT INTO leads (wa_from, client_name, status, summary_text) VALUES ('447700123401', 'Robin <Console>', 'PENDING_APPROVAL', 'Lead #0 summary') RETURNING id"
    )
    const id = lead!.id
    await host.query("INSERT INTO lead_answers (lead_id, question_key, answer_text) VALUES ($1, 'idea', 'A koi fish on my forearm')", [id])
    await host.query(
      "INSERT INTO attachments (lead_id, wa_media_id, kind, mime_type, caption) VALUES ($1, 'media-console-1', 'image', 'image/png', 'my sketch')",
      [id]
    )
    const page = await newPage()
    const errors: Array<string> = []
    page.on("pageerror", (e) => errors.push(String(e)))
    await page.goto(`${host.url}/console`)
    await page.locator("#login-key").fill("not-the-key")
    await page.locator("#login-submit").click()
    await expect.poll(() => page.locator("#login-error").textContent()).toContain("not accepted")
    await page.locator("#login-key").fill(ADMIN_KEY)
    await page.locator("#login-submit").click()

    const row = page.locator(`tr[data-lead-id="${id}"]`)
    await row.waitFor()
    expect(await row.getAttribute("data-status")).toBe("PENDING_APPROVAL")
    expect(await row.textContent()).toContain("Robin <Console>")
    await row.click()
    await expect.poll(() => page.locator("#lead-status").textContent()).toBe("PENDING_APPROVAL")
    expect(await page.locator("#lead-answers").textContent()).toContain("A koi fish on my forearm")
    expect(await page.locator("#lead-attachments").textContent()).toContain("image/png")
    expect(await page.locator("#lead-attachments").textContent()).toContain("my sketch")
    // The key lives in sessionStorage, never in the address.
    expect(page.url()).toBe(`${host.url}/console`)
    expect(await page.evaluate("sessionStorage.getItem('tattooBotAdminKey')")).toBe(ADMIN_KEY)

    await page.locator('[data-action="approve"]').click()
    await expect.poll(() => page.locator("#lead-status").textContent(), { timeout: 20_000 }).toBe("AWAITING_DEPOSIT")
    expect(await page.locator("#action-result").textContent()).toContain("Lead approved.")
    const [stored] = await host.query<{ status: string }>("SELECT status FROM leads WHERE id = $1", [id])
    expect(stored?.status).toBe("AWAITING_DEPOSIT")
    const approvals = await host.query<{ actor: string }>("SELECT actor FROM lead_events WHERE lead_id = $1 AND event = 'Approve'", [id])
    expect(approvals).toEqual([{ actor: "admin" }])
    await expect.poll(() => page.locator(`tr[data-lead-id="${id}"]`).getAttribute("data-status"), { timeout: 20_000 }).toBe("AWAITING_DEPOSIT")
    // The funnel panel is filled from /admin/funnel.
    await expect.poll(() => page.locator('#funnel-stages tr[data-stage="approved"] td:nth-child(2)').textContent()).toBe("1")
    expect(errors).toEqual([])
    await page.close()
  }, 60_000)

  it("the demo page: the client's message goes through the webhook and the bot's welcome appears in the chat", async () => {
    const page = await newPage()
    await page.goto(`${host.url}/demo`)
    const artist = page.frameLocator("#demo-console")
    await artist.locator("#login-key").fill(ADMIN_KEY)
    await artist.locator("#login-submit").click()
    await artist.locator("#app").waitFor()
    const from = (await page.locator("#demo-from").inputValue()).trim()
    await page.locator("#demo-text").fill("Hi, I'd like a tattoo")
    await page.locator("#demo-send").click()

    const [lead] = await eventually(async () => {
      const rows = await host.query<{ id: number; status: string }>("SELECT id, status FROM leads WHERE wa_from = $1", [from])
      return rows.length > 0 ? rows : undefined
    }, 20_000)
    expect(lead?.status).toBe("QUALIFYING")
    const welcome = await eventually(async () => {
      const rows = await host.query<{ body: string }>("SELECT body FROM messages WHERE lead_id = $1 AND direction = 'out' ORDER BY id LIMIT 1", [lead!.id])
      return rows[0]?.body
    }, 20_000)
    const bot = page.locator('#demo-chat .bubble[data-direction="out"]').first()
    await expect.poll(() => bot.textContent(), { timeout: 20_000 }).toBe(welcome)
    expect(await page.locator('#demo-chat .bubble[data-direction="in"]').first().textContent()).toBe("Hi, I'd like a tattoo")
    // The new lead shows up in the console next to it.
    await artist.locator(`tr[data-lead-id="${lead!.id}"]`).waitFor({ timeout: 20_000 })
    await page.close()
  }, 60_000)
})
