import { randomBytes, randomUUID } from "node:crypto"
import { existsSync } from "node:fs"
import { chromium } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FakeGraphApi, startFakeGraphApi } from "../../../test/fakes/graph-api.js"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { ADMIN_KEY, eventually, imageMessage, startTestHost, type TestHost, textMessage } from "../../../test/support/TestHost.js"

const GRAPH_TOKEN = "graph-attachments-token"
/** A 2×3 red PNG, so the browser can decode it. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAIAAAA2iEnWAAAAEUlEQVR4nGP4z8DwnwGMERQARNAF+7BYSawAAAAASUVORK5CYII=",
  "base64"
)
const chromiumPath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p !== undefined && existsSync(p))

let seq = 0
const newNumber = () => `4477011${String(Date.now()).slice(-5)}${String(++seq).padStart(2, "0")}`

/** Posts a signed image message with this media id from a new client; returns the attachment row's id. */
const postImage = async (host: TestHost, mediaId: string, mimeType: string) => {
  const from = newNumber()
  expect((await host.whatsapp({ messages: [textMessage(from, "Hi, I'd like a tattoo")] })).status).toBe(200)
  const message = imageMessage(from, "my sketch")
  const res = await host.whatsapp({ messages: [{ ...message, image: { id: mediaId, mime_type: mimeType, sha256: "abc", caption: "my sketch" } }] })
  expect(res.status).toBe(200)
  const row = await eventually(async () =>
    (await host.query<{ id: number }>("SELECT id FROM attachments WHERE wa_media_id = $1", [mediaId]))[0]
  )
  return row.id
}

describe(`GET /admin/attachments/{id}/content (${databaseKind})`, () => {
  let host: TestHost
  let graph: FakeGraphApi
  beforeAll(async () => {
    graph = await startFakeGraphApi({ accessToken: GRAPH_TOKEN })
    host = await startTestHost(
      {
        WHATSAPP_DRY_RUN: "false",
        WHATSAPP_API_BASE_URL: graph.baseUrl,
        WHATSAPP_ACCESS_TOKEN: GRAPH_TOKEN,
        WHATSAPP_PHONE_NUMBER_ID: "106540352242922"
      },
      { worker: false }
    )
  }, 120_000)
  afterAll(async () => {
    await host?.close()
    await graph?.close()
  })

  it("answers the media bytes from WhatsApp with the stored content type", async () => {
    const mediaId = `media-${randomUUID()}`
    const bytes = new Uint8Array(randomBytes(4096))
    graph.addMedia(mediaId, { bytes, mimeType: "image/png" })
    const id = await postImage(host, mediaId, "image/png")

    const res = await host.admin("GET", `/admin/attachments/${id}/content`)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-type")).toBe("image/png")
    expect(res.headers.get("cache-control")).toBe("private, max-age=300")
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes)
    // The host looked the media up and downloaded it with the access token.
    const lookups = graph.requests.filter((r) => r.path.endsWith(`/${mediaId}`) || r.path.endsWith(`/media-download/${mediaId}`))
    expect(lookups.map((r) => r.method)).toEqual(["GET", "GET"])
    expect(lookups.every((r) => r.headers.authorization === `Bearer ${GRAPH_TOKEN}`)).toBe(true)
  })

  it.skipIf(chromiumPath === undefined)("shows an image attachment as a thumbnail in the console (key in a header, blob URL)", async () => {
    const mediaId = `media-${randomUUID()}`
    graph.addMedia(mediaId, { bytes: new Uint8Array(PNG), mimeType: "image/png" })
    const id = await postImage(host, mediaId, "image/png")
    const [att] = await host.query<{ leadId: number }>("SELECT lead_id FROM attachments WHERE id = $1", [id])
    const browser = await chromium.launch({ executablePath: chromiumPath!, headless: true, args: ["--no-sandbox", "--disable-gpu"] })
    try {
      const page = await browser.newPage()
      page.setDefaultTimeout(20_000)
      const contentRequests: Array<{ url: string; key: string | undefined }> = []
      page.on("request", (r) => {
        if (r.url().includes("/admin/attachments/")) contentRequests.push({ url: r.url(), key: r.headers()["x-admin-api-key"] })
      })
      await page.goto(`${host.url}/console`)
      await page.locator("#login-key").fill(ADMIN_KEY)
      await page.locator("#login-submit").click()
      await page.locator(`tr[data-lead-id="${att!.leadId}"]`).click()
      const img = page.locator(`#lead-attachments [data-attachment-id="${id}"] img`)
      await img.waitFor()
      expect(await img.getAttribute("src")).toMatch(/^blob:/)
      await expect.poll(() => img.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth)).toBe(2)
      expect(await page.locator("#lead-attachments").textContent()).toContain("my sketch")
      expect(contentRequests[0]).toEqual({ url: `${host.url}/admin/attachments/${id}/content`, key: ADMIN_KEY })
    } finally {
      await browser.close()
    }
  }, 60_000)

  it("needs the admin key (401 without it, before anything is looked up)", async () => {
    const mediaId = `media-${randomUUID()}`
    graph.addMedia(mediaId, { bytes: new Uint8Array([1, 2, 3]), mimeType: "image/jpeg" })
    const id = await postImage(host, mediaId, "image/jpeg")
    graph.reset()
    const res = await fetch(`${host.url}/admin/attachments/${id}/content`)
    expect(res.status).toBe(401)
    expect(((await res.json()) as { error: string }).error).toBe("unauthorized")
    expect(graph.requests.length).toBe(0)
  })

  it("answers 404 not_found for an unknown attachment id", async () => {
    const res = await host.admin("GET", "/admin/attachments/2147483000/content")
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: "not_found", message: "Attachment 2147483000 not found" })
  })

  it("answers 502 media_unavailable when WhatsApp does not know the media", async () => {
    const id = await postImage(host, `media-${randomUUID()}`, "image/jpeg")
    const res = await host.admin("GET", `/admin/attachments/${id}/content`)
    expect(res.status).toBe(502)
    const body = (await res.json()) as { error: string; message: string }
    expect(body.error).toBe("media_unavailable")
    expect(body.message.length).toBeGreaterThan(0)
  })
})

describe(`GET /admin/attachments/{id}/content in dry run (${databaseKind})`, () => {
  let host: TestHost
  beforeAll(async () => {
    host = await startTestHost({}, { worker: false })
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  it("answers 502 media_unavailable: the dry run has no media", async () => {
    const id = await postImage(host, `media-${randomUUID()}`, "image/jpeg")
    const res = await host.admin("GET", `/admin/attachments/${id}/content`)
    expect(res.status).toBe(502)
    expect(((await res.json()) as { error: string }).error).toBe("media_unavailable")
  })
})
