/**
 * `GET /admin/leads` over real HTTP: keyset paging (`before_id` / `next_before_id`) next to offset paging,
 * `total` (exact up to 10,000 matches, a flagged estimate above), search by name, number and id, and the
 * status filter. Both databases (see TestDatabase); on PostgreSQL the search runs on the trigram indexes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { startTestHost, type TestHost } from "../../../test/support/TestHost.js"

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read loosely; each assertion checks the shape it needs.
type Json = Record<string, any>

/** Letters only: a search with digits also matches lead ids and numbers. */
const newTag = () => `Qx${Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("")}`

let seq = 0
const newNumber = () => `4479${String(Date.now()).slice(-5)}${String(++seq).padStart(3, "0")}`

describe(`GET /admin/leads paging, totals and search (${databaseKind})`, () => {
  let host: TestHost

  const get = async (path: string) => {
    const res = await host.admin("GET", path)
    const text = await res.text()
    return { status: res.status, json: JSON.parse(text) as Json }
  }
  const ids = (res: { json: Json }) => (res.json.leads as Array<Json>).map((l) => l.id as number)

  const seed = async (status: string, name: string | null, from = newNumber()) =>
    (await host.query<{ id: number }>("INSERT INTO leads (wa_from, client_name, status) VALUES ($1, $2, $3) RETURNING id", [from, name, status]))[0]!.id

  /** Follows `next_before_id` from the first page to the last; returns the ids in order and the pages' answers. */
  const walk = async (query: string, limit: number) => {
    const seen: Array<number> = []
    const pages: Array<Json> = []
    let before: number | null = null
    for (let guard = 0; guard < 1000; guard++) {
      const res = await get(`/admin/leads?${query}&limit=${limit}${before === null ? "" : `&before_id=${before}`}`)
      expect(res.status).toBe(200)
      pages.push(res.json)
      seen.push(...ids(res))
      before = res.json.next_before_id
      if (before === null) return { seen, pages }
      expect(before).toBe(seen[seen.length - 1])
    }
    throw new Error("next_before_id never became null")
  }

  beforeAll(async () => {
    host = await startTestHost()
  }, 120_000)
  afterAll(async () => {
    await host?.close()
  })

  it("pages by before_id: every match exactly once, newest first, next_before_id null on the last page", async () => {
    const tag = newTag()
    const seeded: Array<number> = []
    for (let i = 0; i < 7; i++) seeded.push(await seed(i % 2 === 0 ? "WAITLISTED" : "NEEDS_FOLLOW_UP", `${tag} Client ${i}`))
    const newestFirst = [...seeded].reverse()

    const { seen, pages } = await walk(`search=${tag}`, 3)
    expect(seen).toEqual(newestFirst)
    expect(pages.map((p) => p.leads.length)).toEqual([3, 3, 1])
    expect(pages.map((p) => p.next_before_id)).toEqual([newestFirst[2], newestFirst[5], null])
    // total is the whole match on every page, not what is left below before_id.
    expect(pages.map((p) => [p.total, p.total_exact])).toEqual([
      [7, true],
      [7, true],
      [7, true]
    ])

    // A last page that is exactly full still says it is the last; one row fewer points to the next.
    expect((await get(`/admin/leads?search=${tag}&limit=7`)).json.next_before_id).toBeNull()
    const six = await get(`/admin/leads?search=${tag}&limit=6`)
    expect(six.json.next_before_id).toBe(newestFirst[5])
    const rest = await get(`/admin/leads?search=${tag}&limit=6&before_id=${six.json.next_before_id}`)
    expect([ids(rest), rest.json.next_before_id]).toEqual([[newestFirst[6]], null])
    expect((await walk(`search=${tag}`, 1)).seen).toEqual(newestFirst)

    // before_id with the status filter, and with offset (counted from the cut).
    expect((await walk(`search=${tag}&status=waitlisted`, 2)).seen).toEqual(newestFirst.filter((_, i) => i % 2 === 0))
    const cutThenSkip = await get(`/admin/leads?search=${tag}&before_id=${newestFirst[1]}&offset=2&limit=2`)
    expect([ids(cutThenSkip), cutThenSkip.json.offset, cutThenSkip.json.total]).toEqual([newestFirst.slice(4, 6), 2, 7])
    expect(cutThenSkip.json.next_before_id).toBe(newestFirst[5])

    // Below the oldest match nothing is left.
    const below = await get(`/admin/leads?search=${tag}&before_id=${newestFirst[6]}`)
    expect([ids(below), below.json.next_before_id, below.json.total]).toEqual([[], null, 7])
  })

  it("walks the whole list by before_id, unfiltered and by status, exactly as the table holds it", async () => {
    const statuses = ["QUALIFYING", "PENDING_APPROVAL", "BOOKED", "WAITLISTED", "REJECTED"]
    for (let i = 0; i < 23; i++) await seed(statuses[i % statuses.length]!, i % 4 === 0 ? null : `Walker ${i}`)
    const all = (await host.query<{ id: number }>("SELECT id FROM leads ORDER BY id DESC")).map((r) => r.id)
    const all4 = await walk("", 4)
    expect(all4.seen).toEqual(all)
    expect(new Set(all4.seen).size).toBe(all.length)
    expect(all4.pages.every((p) => p.total === all.length && p.total_exact === true)).toBe(true)
    expect((await walk("", 500)).seen).toEqual(all)

    const booked = (await host.query<{ id: number }>("SELECT id FROM leads WHERE status = 'BOOKED' ORDER BY id DESC")).map((r) => r.id)
    const byStatus = await walk("status=BOOKED", 3)
    expect(byStatus.seen).toEqual(booked)
    expect(byStatus.pages.every((p) => p.total === booked.length)).toBe(true)

    // before_id above every id is the first page; offset paging walks the same order.
    expect(ids(await get(`/admin/leads?before_id=${2 ** 31 - 1}&limit=5`))).toEqual(all.slice(0, 5))
    const byOffset: Array<number> = []
    for (let offset = 0; offset < all.length; offset += 4) byOffset.push(...ids(await get(`/admin/leads?limit=4&offset=${offset}`)))
    expect(byOffset).toEqual(all)
  })

  it("answers a bad before_id with 400, never 500", async () => {
    for (const value of ["-1", "0", "abc", "1.5", "99999999999", "", "NaN", "Infinity", "1e400", "%20"]) {
      const res = await get(`/admin/leads?before_id=${value}`)
      expect([value, res.status]).toEqual([value, 400])
      // The decode error names the parameter.
      expect([value, res.json._tag, res.json.issues?.[0]?.path]).toEqual([value, "HttpApiDecodeError", ["before_id"]])
    }
    expect((await get("/admin/leads?before_id=1&before_id=2")).status).toBe(400)
  })

  it("keeps total exact for small sets, however the page is reached", async () => {
    const tag = newTag()
    const seeded: Array<number> = []
    for (let i = 0; i < 5; i++) seeded.push(await seed("QUALIFYING", `${tag} Small ${i}`))
    for (const query of ["", "&limit=2", "&limit=2&offset=2", "&limit=2&offset=4", "&offset=3", "&offset=5", "&offset=99", `&before_id=${seeded[2]}`, `&before_id=${seeded[0]}`]) {
      const res = await get(`/admin/leads?search=${tag}${query}`)
      expect([query, res.status, res.json.total, res.json.total_exact]).toEqual([query, 200, 5, true])
    }
    expect((await get(`/admin/leads?search=${tag}&offset=99`)).json.leads).toEqual([])
  })

  it("searches names ignoring case, numbers in any format and lead ids, and filters by status", async () => {
    const tag = newTag()
    const numbers = [newNumber(), newNumber(), newNumber()]
    const a = await seed("WAITLISTED", `${tag} Ana Lopez`, numbers[0])
    const b = await seed("NEEDS_FOLLOW_UP", `${tag} Ben Okafor`, numbers[1])
    const c = await seed("WAITLISTED", `${tag} 100%_off`, numbers[2])

    expect(ids(await get(`/admin/leads?search=${tag.toUpperCase()}`))).toEqual([c, b, a])
    expect(ids(await get(`/admin/leads?search=${tag.toLowerCase()}%20ben`))).toEqual([b])
    expect(ids(await get(`/admin/leads?search=%20${encodeURIComponent(`${tag.slice(2)} ana lopez`)}%20`))).toEqual([a])
    // LIKE's wildcards are plain characters in a search.
    expect(ids(await get(`/admin/leads?search=${encodeURIComponent(`${tag} 100%_`)}`))).toEqual([c])
    expect(ids(await get(`/admin/leads?search=${encodeURIComponent(`${tag}_`)}`))).toEqual([])
    expect(ids(await get(`/admin/leads?search=${encodeURIComponent(`${tag}%`)}`))).toEqual([])

    // A number: whole, with +, spaced like a person writes it, or its last digits.
    const n = numbers[1]!
    for (const search of [n, `+${n}`, `+${n.slice(0, 2)} ${n.slice(2, 6)} ${n.slice(6)}`, `(${n.slice(0, 4)}) ${n.slice(4)}`]) {
      const res = await get(`/admin/leads?search=${encodeURIComponent(search)}`)
      expect([search, ids(res)]).toEqual([search, [b]])
    }
    expect(ids(await get(`/admin/leads?search=${n.slice(-7)}`))).toContain(b)

    // A lead id, with or without #.
    expect(ids(await get(`/admin/leads?search=${a}`))).toContain(a)
    expect(ids(await get(`/admin/leads?search=%23${a}`))).toContain(a)
    // "#" rules out names and numbers: only the id matches.
    expect(ids(await get(`/admin/leads?search=%23${b}`))).toEqual([b])

    // The status filter (any case), alone and with a search.
    const waitlisted = await get(`/admin/leads?status=Waitlisted&search=${tag}`)
    expect([ids(waitlisted), waitlisted.json.total]).toEqual([[c, a], 2])
    const allWaitlisted = await get("/admin/leads?status=WAITLISTED&limit=500")
    expect(allWaitlisted.json.leads.every((l: Json) => l.status === "WAITLISTED")).toBe(true)
    expect(ids(allWaitlisted)).toEqual(expect.arrayContaining([a, c]))
    expect(ids(allWaitlisted)).not.toContain(b)
    expect(allWaitlisted.json.total).toBe(
      (await host.query<{ n: number }>("SELECT count(*)::int AS n FROM leads WHERE status = 'WAITLISTED'"))[0]!.n
    )
    // The list items keep their shape.
    expect((await get(`/admin/leads?search=${tag}&limit=1`)).json.leads[0]).toEqual({
      id: c,
      wa_from: numbers[2],
      client_name: `${tag} 100%_off`,
      status: "WAITLISTED",
      created_at: expect.any(String),
      updated_at: expect.any(String),
      last_client_message_at: null
    })
  })

  it("counts exactly up to 10,000 matches; above, reports PostgreSQL's estimate with total_exact false", async () => {
    const tag = newTag()
    const bulk = (from: number, to: number) =>
      host.query(
        `INSERT INTO leads (wa_from, client_name, status)
         SELECT '4471' || lpad(g::text, 8, '0'), $1 || ' bulk ' || g, 'ABANDONED' FROM generate_series($2::int, $3::int) g`,
        [tag, from, to]
      )
    await bulk(1, 10_000)
    for (const query of [`search=${tag}`, "status=ABANDONED", `status=abandoned&search=${tag}&before_id=${2 ** 31 - 1}`]) {
      const res = await get(`/admin/leads?${query}`)
      expect([query, res.json.total, res.json.total_exact, res.json.leads.length]).toEqual([query, 10_000, true, 50])
    }

    await bulk(10_001, 10_001)
    for (const query of [`search=${tag}`, "status=ABANDONED", ""]) {
      const res = await get(`/admin/leads?${query}`)
      expect([query, res.json.total_exact, res.json.leads.length, typeof res.json.next_before_id]).toEqual([query, false, 50, "number"])
      expect(res.json.total).toBeGreaterThan(10_000)
    }

    // The estimate is the planner's, not a fixed floor: with fresh statistics it is close to the truth.
    await bulk(10_002, 14_000)
    await host.query("ANALYZE leads")
    const estimated = await get("/admin/leads?status=ABANDONED")
    expect(estimated.json.total_exact).toBe(false)
    expect(estimated.json.total).toBeGreaterThan(12_500)
    expect(estimated.json.total).toBeLessThan(15_500)
    // Paging still reaches the end: the last page by before_id.
    const oldest = (await host.query<{ id: number }>("SELECT min(id)::int AS id FROM leads WHERE status = 'ABANDONED'"))[0]!.id
    const last = await get(`/admin/leads?status=ABANDONED&before_id=${oldest + 2}`)
    expect([ids(last), last.json.next_before_id]).toEqual([[oldest + 1, oldest], null])
  }, 120_000)
})
