import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { databaseKind } from "../../../test/support/TestDatabase.js"
import { eventually, listReply, type TestHost, textMessage } from "../../../test/support/TestHost.js"
import { detectCalendarBookings } from "../src/jobs/calendarBookings.js"
import {
  ARTIST_NUMBER,
  approve,
  body,
  checkoutRequests,
  type Journey,
  leadRow,
  listsTo,
  local,
  newNumber,
  offered,
  postStripe,
  seedLead,
  settle,
  sheetRow,
  spokenSlot,
  startJourney,
  templatesTo,
  textsTo
} from "./support/journey.js"
import { CONSULTATION_ANSWERS } from "../../../test/support/Answers.js"


const DAY = 86_400_000

describe(`approval → slots → pick → hold → checkout → payment → booking (${databaseKind})`, () => {
  let j: Journey
  let host: TestHost
  /** A working day whose hours are fully busy in the artist's calendar. */
  let blockedDate: string

  beforeAll(async () => {
    j = await startJourney()
    host = j.host
    // Busy the whole (UTC) day three days out, whatever its weekday: no slot may land on it.
    const day = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10)
    blockedDate = day
    j.google.calendar.events.push({
      id: "existingclient01",
      summary: "Existing client",
      status: "confirmed",
      start: { dateTime: `${day}T00:00:00Z` },
      end: { dateTime: `${day}T23:59:00Z` }
    })
  }, 120_000)
  afterAll(async () => {
    await j?.close()
  })

  it("walks a client from the consultation to BOOKED with real free slots, a held slot, a Checkout Session and a signed payment", async () => {
    const from = newNumber()
    await host.whatsapp({ messages: [textMessage(from, "Hi, I'd like a tattoo")] })
    for (const answer of CONSULTATION_ANSWERS) expect((await host.whatsapp({ messages: [textMessage(from, answer)] })).status).toBe(200)
    const id = (await host.query<{ id: number }>("SELECT id FROM leads WHERE wa_from = $1", [from]))[0]!.id
    await settle(host)
    expect((await leadRow(host, id)).status).toBe("PENDING_APPROVAL")
    expect(sheetRow(j.google, id)?.status).toBe("PENDING_APPROVAL")

    // Approve: the slots come from the fake calendar's busy times and config/calendar_rules.yml.
    const approved = await host.admin("POST", `/admin/leads/${id}/approve`)
    expect(approved.status).toBe(200)
    expect((await body(approved)).status).toBe("AWAITING_DEPOSIT")
    const slots = await offered(host, id)
    const freeBusy = j.google.requestsTo("/calendar/v3/freeBusy", "POST")
    expect(freeBusy.length).toBeGreaterThan(0)
    expect(JSON.stringify(freeBusy[0]!.body)).toContain("artist-calendar@group.calendar.google.com")
    expect(slots.length).toBeGreaterThan(1)
    expect(slots.length).toBeLessThanOrEqual(8)
    const category = (await host.query<{ c: string }>("SELECT qualification->>'sizeCategory' AS c FROM leads WHERE id = $1", [id]))[0]!.c
    const minutes = { SMALL: 120, MEDIUM: 180, LARGE: 240, XL: 360 }[category] ?? 180
    for (const slot of slots) {
      const start = Date.parse(slot.start)
      const end = Date.parse(slot.end)
      expect(end - start).toBe(minutes * 60_000)
      expect(start).toBeGreaterThanOrEqual(Date.now() + 24 * 3_600_000 - 60_000)
      const s = local(slot.start)
      const e = local(slot.end)
      expect(["Saturday", "Sunday"]).not.toContain(s.weekday)
      expect(s.hour * 60 + s.minute).toBeGreaterThanOrEqual(10 * 60)
      expect(e.hour * 60 + e.minute).toBeLessThanOrEqual(18 * 60)
      expect(slot.start.slice(0, 10)).not.toBe(blockedDate)
      expect(slot.end.slice(0, 10)).not.toBe(blockedDate)
    }
    // Sent as an interactive list inside the window, one row per offered slot.
    const list = listsTo(j.graph, from).at(-1)
    expect(list).toBeDefined()
    const rows = list!.interactive!.action.sections.flatMap((s) => s.rows)
    expect(rows.map((r) => r.id)).toEqual(slots.map((s, i) => `slot:${i}:${s.start}`))

    // Free-text pick: "the second one".
    await host.whatsapp({ messages: [textMessage(from, "the second one please")] })
    const picked = await leadRow(host, id)
    expect(new Date(picked.chosenSlotStart!).toISOString()).toBe(new Date(slots[1]!.start).toISOString())
    const holds = await host.query<{ state: string; startsAt: Date; expiresAt: Date }>(
      "SELECT state, starts_at, expires_at FROM slot_holds WHERE lead_id = $1",
      [id]
    )
    expect(holds.map((h) => h.state)).toEqual(["HELD"])
    expect(new Date(holds[0]!.startsAt).toISOString()).toBe(new Date(slots[1]!.start).toISOString())
    const parses = await host.query<{ resultTag: string; matchedBy: string | null }>("SELECT result_tag, matched_by FROM slot_parses WHERE lead_id = $1", [id])
    expect(parses).toEqual([{ resultTag: "Matched", matchedBy: expect.any(String) }])

    // The Checkout Session: GBP, pence, lead id, metadata, expiry = the hold's, idempotency key.
    await settle(host)
    const created = checkoutRequests(j.stripe, id)
    expect(created.length).toBe(1)
    const request = created[0]!
    const lead = await leadRow(host, id)
    const params = request.params as { line_items: Array<{ price_data: { currency: string; unit_amount: string }; quantity: string }>; metadata: Record<string, string>; expires_at: string }
    expect(params.line_items[0]!.price_data.currency).toBe("gbp")
    expect(Number(params.line_items[0]!.price_data.unit_amount)).toBe(lead.depositAmountPence)
    expect(params.metadata.lead_id).toBe(String(id))
    expect(new Date(params.metadata.slot_start!).toISOString()).toBe(new Date(slots[1]!.start).toISOString())
    expect(request.idempotencyKey).toBe(`lead-${id}-deposit-1`)
    const hold = (await host.query<{ expiresAt: Date }>("SELECT expires_at FROM slot_holds WHERE lead_id = $1 AND state = 'HELD'", [id]))[0]!
    expect(Math.floor(new Date(hold.expiresAt).getTime() / 1000)).toBe(Number(params.expires_at))
    const sessionId = lead.stripeCheckoutSessionId!
    expect(j.stripe.sessions.get(sessionId)?.client_reference_id).toBe(String(id))
    // The link reached the client.
    expect(textsTo(j.graph, from).some((t) => t.includes(j.stripe.sessions.get(sessionId)!.url as string))).toBe(true)

    // Paid: a signed checkout.session.completed.
    j.stripe.paySession(sessionId)
    const paid = await postStripe(host, j.stripe.event("checkout.session.completed", sessionId))
    expect(paid.status).toBe(200)
    expect((await body(paid)).status).toBe("BOOKING_PENDING")
    await settle(host)
    expect((await leadRow(host, id)).status).toBe("BOOKING_PENDING")
    expect(textsTo(j.graph, from).some((t) => t.includes("Deposit confirmed") || t.includes("Deposit received"))).toBe(true)
    expect(textsTo(j.graph, ARTIST_NUMBER).some((t) => t.includes("Deposit paid") && t.includes(`Lead #${id}`))).toBe(true)
    const event = j.google.calendar.events.find((e) => e.extendedProperties?.private?.leadId === String(id))
    expect(event?.status).toBe("tentative")
    expect(Date.parse(event!.start.dateTime!)).toBe(Date.parse(slots[1]!.start))
    expect(sheetRow(j.google, id)?.status).toBe("BOOKING_PENDING")
    expect(sheetRow(j.google, id)?.stripe_session_id).toBe(sessionId)
    expect([true, "TRUE"]).toContain(sheetRow(j.google, id)?.deposit_paid)

    // Booked by the artist: the event is confirmed and the client told.
    const booked = await host.admin("POST", `/admin/leads/${id}/mark-booked`)
    expect(booked.status).toBe(200)
    expect((await body(booked)).status).toBe("BOOKED")
    await settle(host)
    expect(event?.status).toBe("confirmed")
    expect(textsTo(j.graph, from).at(-1)).toBeDefined()
    const bookingCopy = (await host.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE lead_id = $1 AND kind = 'copy.booking_confirmed' AND status = 'SENT'", [id]))[0]!
    expect(bookingCopy.n).toBe(1)
    expect(sheetRow(j.google, id)?.status).toBe("BOOKED")
    expect(sheetRow(j.google, id)?.booking_status).toBe("BOOKED")
  })

  it("with the window closed: the template first, the list when the client replies, and the link is never lost", async () => {
    const { id, from } = await seedLead(host)
    await host.query("UPDATE leads SET last_client_message_at = now() - interval '25 hours' WHERE id = $1", [id])
    await approve(host, id)
    await offered(host, id)
    expect(templatesTo(j.graph, from)).toEqual(["next_steps_reply_to_continue"])
    expect(listsTo(j.graph, from)).toEqual([])

    await host.whatsapp({ messages: [textMessage(from, "hi, yes please")] })
    await settle(host)
    expect(listsTo(j.graph, from).length).toBe(1)
    // The reply answered the template: it was not read as a failed pick.
    expect(await host.query("SELECT 1 FROM slot_parses WHERE lead_id = $1", [id])).toEqual([])

    const slots = (await leadRow(host, id)).offeredSlots!
    await host.whatsapp({ messages: [listReply(from, `slot:0:${slots[0]!.start}`, "first")] })
    // The window closes again before the deposit link goes out.
    await host.query("UPDATE leads SET last_client_message_at = now() - interval '25 hours' WHERE id = $1", [id])
    await settle(host)
    const lead = await leadRow(host, id)
    expect(lead.stripeCheckoutUrl).toBeTruthy()
    expect(templatesTo(j.graph, from)).toEqual(["next_steps_reply_to_continue", "next_steps_reply_to_continue"])
    expect(textsTo(j.graph, from).some((t) => t.includes(lead.stripeCheckoutUrl!))).toBe(false)
    const held = await host.query<{ status: string }>("SELECT status FROM outbox WHERE lead_id = $1 AND kind = 'copy.deposit_link'", [id])
    expect(held).toEqual([{ status: "HELD" }])

    await host.whatsapp({ messages: [textMessage(from, "ok")] })
    await settle(host)
    expect(textsTo(j.graph, from).some((t) => t.includes(lead.stripeCheckoutUrl!))).toBe(true)
    expect(await host.query("SELECT 1 FROM outbox WHERE lead_id = $1 AND kind = 'slot_reoffer'", [id])).toEqual([])

    // Paid with the window closed: deposit_received_next_steps, not free-form.
    await host.query("UPDATE leads SET last_client_message_at = now() - interval '25 hours' WHERE id = $1", [id])
    const textsBefore = textsTo(j.graph, from).length
    j.stripe.paySession(lead.stripeCheckoutSessionId!)
    expect((await postStripe(host, j.stripe.event("checkout.session.completed", lead.stripeCheckoutSessionId!))).status).toBe(200)
    await settle(host)
    expect(templatesTo(j.graph, from).at(-1)).toBe("deposit_received_next_steps")
    expect(textsTo(j.graph, from).length).toBe(textsBefore)
    expect((await leadRow(host, id)).status).toBe("BOOKING_PENDING")
  })

  it("asks one short question for an ambiguous reply, re-offers after a rejected one, and records every parse", async () => {
    const { id, from } = await seedLead(host)
    await approve(host, id)
    const slots = await offered(host, id)
    // Two offered slots on the same day: the day's name alone fits both.
    const byDate = new Map<string, Array<number>>()
    for (const [i, s] of slots.entries()) byDate.set(local(s.start).date, [...(byDate.get(local(s.start).date) ?? []), i])
    const pair = [...byDate.values()].find((v) => v.length >= 2)
    expect(pair).toBeDefined()
    const sameDay = local(slots[pair![0]!]!.start)
    const before = textsTo(j.graph, from).length
    await host.whatsapp({ messages: [textMessage(from, `${sameDay.weekday} ${sameDay.date.slice(8, 10).replace(/^0/, "")}th works`)] })
    await settle(host)
    const question = textsTo(j.graph, from).slice(before)
    expect(question.length).toBe(1)
    expect(question[0]).toMatch(/which of these did you mean|A couple of times fit that/)
    expect((await leadRow(host, id)).slotClarifyCandidates).toEqual(expect.arrayContaining(pair!))
    expect((await leadRow(host, id)).chosenSlotStart).toBeNull()

    const listsBefore = listsTo(j.graph, from).length
    await host.whatsapp({ messages: [textMessage(from, "purple elephant")] })
    await settle(host)
    expect(listsTo(j.graph, from).length).toBe(listsBefore + 1)
    expect(listsTo(j.graph, from).at(-1)!.interactive!.body.text).toMatch(/couldn't match|didn't catch/)

    // Free text naming the day and time of the last slot.
    const target = slots.at(-1)!
    await host.whatsapp({ messages: [textMessage(from, spokenSlot(target.start))] })
    const lead = await leadRow(host, id)
    expect(new Date(lead.chosenSlotStart!).toISOString()).toBe(new Date(target.start).toISOString())
    const parses = await host.query<{ resultTag: string; reason: string | null; matchedBy: string | null }>(
      "SELECT result_tag, reason, matched_by FROM slot_parses WHERE lead_id = $1 ORDER BY id",
      [id]
    )
    expect(parses.map((p) => p.resultTag)).toEqual(["Ambiguous", "Rejected", "Matched"])
    expect(parses[1]!.reason).toBeTruthy()
    expect(parses[2]!.matchedBy).toBeTruthy()
    // The stats endpoint counts them.
    const stats = await body(await host.admin("GET", "/admin/slot-parse-stats?days=7"))
    expect(stats.total_ambiguous).toBeGreaterThanOrEqual(1)
    expect(stats.total_reject).toBeGreaterThanOrEqual(1)
    expect((stats.success as Record<string, number>)[parses[2]!.matchedBy!]).toBeGreaterThanOrEqual(1)
  })

  it("hands over to the artist after three replies it cannot place", async () => {
    const { id, from } = await seedLead(host)
    await approve(host, id)
    await offered(host, id)
    for (const text of ["banana", "purple elephant", "no idea mate"]) await host.whatsapp({ messages: [textMessage(from, text)] })
    await settle(host)
    expect((await leadRow(host, id)).status).toBe("NEEDS_ARTIST_REPLY")
    expect(textsTo(j.graph, ARTIST_NUMBER).some((t) => t.includes(`Lead #${id}`) && t.includes("Unable to parse slot"))).toBe(true)
  })

  it("apologises and offers fresh times when the chosen slot was taken in the calendar meanwhile", async () => {
    const { id, from } = await seedLead(host)
    await approve(host, id)
    const slots = await offered(host, id)
    const taken = slots[0]!
    j.google.calendar.events.push({ id: `takenmeanwhile${id}`, summary: "Walk-in", start: { dateTime: taken.start }, end: { dateTime: taken.end } })
    try {
      await host.whatsapp({ messages: [textMessage(from, "1")] })
      await eventually(async () => {
        await settle(host)
        const lead = await leadRow(host, id)
        return lead.offeredSlots !== null && !lead.offeredSlots.some((s) => s.start === taken.start) ? lead : undefined
      }, 30_000)
      const lead = await leadRow(host, id)
      expect(lead.status).toBe("AWAITING_DEPOSIT")
      expect(lead.chosenSlotStart).toBeNull()
      expect(checkoutRequests(j.stripe, id)).toEqual([])
      expect(textsTo(j.graph, from).some((t) => /just been taken|booked a moment ago/.test(t))).toBe(true)
      expect(listsTo(j.graph, from).length).toBe(2)
      const holds = await host.query<{ state: string }>("SELECT state FROM slot_holds WHERE lead_id = $1", [id])
      expect(holds.every((h) => h.state === "RELEASED")).toBe(true)
    } finally {
      const index = j.google.calendar.events.findIndex((e) => e.id === `takenmeanwhile${id}`)
      j.google.calendar.events.splice(index, 1)
    }
  })

  it("offers no slot while the calendar's busy times are unknown, retries, then offers", async () => {
    const { id, from } = await seedLead(host)
    // Every attempt of the adapter (its request and 3 retries) to read the calendar's all-day events
    // fails, so the first outbox attempt cannot know the busy days.
    j.google.failNext("/calendar/v3/calendars/", 500, 4)
    await host.admin("POST", `/admin/leads/${id}/approve`)
    await settle(host)
    const row = (await host.query<{ status: string; lastError: string | null }>(
      "SELECT status, last_error FROM outbox WHERE lead_id = $1 AND kind = 'find_slots'",
      [id]
    ))[0]!
    expect(row.status).toBe("PENDING")
    expect(row.lastError).toMatch(/calendar/)
    expect((await leadRow(host, id)).offeredSlots).toBeNull()
    expect(listsTo(j.graph, from)).toEqual([])
    await offered(host, id)
    expect(listsTo(j.graph, from).length).toBe(1)
    const attempts = (await host.query<{ attempts: number }>("SELECT attempts FROM outbox WHERE lead_id = $1 AND kind = 'find_slots'", [id]))[0]!
    expect(attempts.attempts).toBeGreaterThanOrEqual(2)
  })

  it("asks for time windows when the calendar has no free slot, and hands two windows to the artist", async () => {
    const block = { start: new Date(Date.now() - DAY).toISOString(), end: new Date(Date.now() + 80 * DAY).toISOString() }
    j.google.calendar.busy.push(block)
    try {
      const { id, from } = await seedLead(host)
      await approve(host, id)
      await eventually(async () => {
        await settle(host)
        return (await leadRow(host, id)).status === "COLLECTING_TIME_WINDOWS"
      }, 30_000)
      expect(textsTo(j.graph, from).some((t) => /don't have any available slots|fully booked/.test(t))).toBe(true)
      expect(textsTo(j.graph, ARTIST_NUMBER).some((t) => t.includes(`Lead #${id}`) && t.includes("No free slots"))).toBe(true)
      await host.whatsapp({ messages: [textMessage(from, "Monday afternoon")] })
      expect((await leadRow(host, id)).status).toBe("COLLECTING_TIME_WINDOWS")
      await host.whatsapp({ messages: [textMessage(from, "Wednesday morning")] })
      await settle(host)
      expect((await leadRow(host, id)).status).toBe("NEEDS_ARTIST_REPLY")
      const note = textsTo(j.graph, ARTIST_NUMBER).find((t) => t.includes(`Lead #${id}`) && t.includes("Wednesday morning"))
      expect(note).toContain("Monday afternoon")
    } finally {
      j.google.calendar.busy.splice(j.google.calendar.busy.indexOf(block), 1)
    }
  })

  it("mirrors the lead to the sheet on each status change, and a Sheets outage never blocks the conversation", async () => {
    const lines: Array<string> = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: Array<unknown>) => {
      lines.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"))
      return (write as (...args: Array<unknown>) => boolean)(chunk, ...rest)
    }) as typeof process.stdout.write
    try {
      const { id, from } = await seedLead(host)
      j.google.failNext("/v4/spreadsheets", 500, 40)
      await approve(host, id)
      await offered(host, id)
      // The client still got their times while the sheet was down.
      expect(listsTo(j.graph, from).length).toBe(1)
      expect(sheetRow(j.google, id)).toBeUndefined()
      const row = (await host.query<{ status: string; lastError: string }>("SELECT status, last_error FROM outbox WHERE lead_id = $1 AND channel = 'sheets'", [id]))[0]!
      expect(row.status).toBe("PENDING")
      expect(row.lastError).toMatch(/sheets/)
      expect(lines.some((l) => /sheets/i.test(l) && /"level":"(warn|error)"/.test(l))).toBe(true)
      // Back up: the retry writes the row.
      while (j.google.requestsTo("/v4/spreadsheets").filter((r) => r.status === 500).length < 40) {
        await fetch(`${j.google.baseUrl}/v4/spreadsheets/x/values/A1`).catch(() => undefined)
      }
      await eventually(async () => {
        await settle(host)
        return sheetRow(j.google, id)?.status === "AWAITING_DEPOSIT"
      }, 60_000)
    } finally {
      process.stdout.write = write
    }
  }, 90_000)

  it("detects a booking the artist confirmed by hand in the calendar and marks the paid lead BOOKED", async () => {
    const { id, from } = await seedLead(host)
    await approve(host, id)
    const slots = await offered(host, id)
    await host.whatsapp({ messages: [textMessage(from, "1")] })
    await settle(host)
    const sessionId = (await leadRow(host, id)).stripeCheckoutSessionId!
    j.stripe.paySession(sessionId)
    await postStripe(host, j.stripe.event("checkout.session.completed", sessionId))
    await settle(host)
    const event = j.google.calendar.events.find((e) => e.extendedProperties?.private?.leadId === String(id))!
    expect(event.status).toBe("tentative")
    // Nothing confirmed yet: nothing detected.
    const first = await host.run(detectCalendarBookings)
    expect(first.booked.some((b) => b.leadId === id)).toBe(false)
    expect((await leadRow(host, id)).status).toBe("BOOKING_PENDING")
    // The artist confirms the hold in Google Calendar by hand.
    event.status = "confirmed"
    const second = await host.run(detectCalendarBookings)
    expect(second.booked.filter((b) => b.leadId === id)).toEqual([{ leadId: id, calendarEventId: event.id, matchedBy: "property" }])
    expect((await leadRow(host, id)).status).toBe("BOOKED")
    await settle(host)
    expect((await host.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE lead_id = $1 AND kind = 'copy.booking_confirmed' AND status = 'SENT'", [id]))[0]!.n).toBe(1)
    // A second run changes nothing.
    const third = await host.run(detectCalendarBookings)
    expect(third.booked.some((b) => b.leadId === id)).toBe(false)
    expect(slots.length).toBeGreaterThan(0)
  })

  it("detects a confirmed event the artist created at the held slot", async () => {
    const { id, from } = await seedLead(host)
    await approve(host, id)
    await offered(host, id)
    await host.whatsapp({ messages: [textMessage(from, "2")] })
    await settle(host)
    const lead = await leadRow(host, id)
    j.stripe.paySession(lead.stripeCheckoutSessionId!)
    await postStripe(host, j.stripe.event("checkout.session.completed", lead.stripeCheckoutSessionId!))
    await settle(host)
    // The hold event went away (deleted by hand) and the artist typed their own confirmed one.
    const hold = j.google.calendar.events.find((e) => e.extendedProperties?.private?.leadId === String(id))!
    hold.status = "cancelled"
    j.google.calendar.events.push({
      id: `byhand${id}`,
      summary: "Sam - dragon",
      status: "confirmed",
      start: { dateTime: new Date(lead.chosenSlotStart!).toISOString() },
      end: { dateTime: new Date(lead.chosenSlotEnd!).toISOString() }
    })
    const result = await host.run(detectCalendarBookings)
    expect(result.booked.filter((b) => b.leadId === id)).toEqual([{ leadId: id, calendarEventId: `byhand${id}`, matchedBy: "confirmed" }])
    expect((await leadRow(host, id)).status).toBe("BOOKED")
    expect((await leadRow(host, id)).calendarEventId).toBe(`byhand${id}`)
  })
})
