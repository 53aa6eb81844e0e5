import * as fs from "node:fs"
import * as path from "node:path"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import * as YAML from "yaml"
import {
  ConsultationConfig,
  ConsultationConfigError,
  copyKeys,
  copyPlaceholders,
  decodeConsultationConfig,
  defaultConsultationConfig,
  renderCopy,
  renderCopyVariant,
  variantIndex
} from "../src/index.js"

const root = path.resolve(import.meta.dirname, "../../..")
const copyYaml = fs.readFileSync(path.join(root, "config/copy.en_GB.yml"), "utf8")
const qualificationYaml = fs.readFileSync(path.join(root, "config/qualification.yml"), "utf8")

const edit = (yaml: string, change: (doc: Record<string, unknown>) => void): string => {
  const doc = YAML.parse(yaml) as Record<string, unknown>
  change(doc)
  return YAML.stringify(doc)
}

const errorOf = (copy: string, qualification: string): ConsultationConfigError => {
  const r = decodeConsultationConfig(copy, qualification)
  if (Either.isRight(r)) throw new Error("expected a decoding error")
  return r.left
}

describe("the shipped config files", () => {
  it("decode to exactly defaultConsultationConfig (they cannot drift)", () => {
    const decoded = decodeConsultationConfig(copyYaml, qualificationYaml)
    expect(Either.isRight(decoded)).toBe(true)
    expect(Either.getOrThrow(decoded)).toStrictEqual(defaultConsultationConfig)
  })

  it("the default is a valid ConsultationConfig and round-trips through its encoded form", () => {
    const encoded = Schema.encodeSync(ConsultationConfig)(defaultConsultationConfig)
    expect(Schema.decodeUnknownSync(ConsultationConfig)(JSON.parse(JSON.stringify(encoded)))).toStrictEqual(
      defaultConsultationConfig
    )
  })

  it("keeps the prior system's 13 questions in order", () => {
    expect(defaultConsultationConfig.questions.map((q) => q.key)).toEqual([
      "idea",
      "placement",
      "dimensions",
      "style",
      "complexity",
      "coverup",
      "reference_images",
      "budget",
      "location_city",
      "location_country",
      "instagram_handle",
      "travel_city",
      "timing"
    ])
    expect(defaultConsultationConfig.questions[7]?.text).toBe(
      "What's your budget amount for this tattoo? (Please give a number, e.g., 500, 1000, 2000)"
    )
  })

  it("keeps the prior system's numbers and an empty tour schedule", () => {
    const c = defaultConsultationConfig
    expect(c.artistName).toBe("Jonah")
    expect(c.sizeCategories).toEqual({ smallBelowCm2: 50, mediumBelowCm2: 150, largeBelowCm2: 300 })
    expect(c.depositsPence).toEqual({ small: 15000, medium: 15000, large: 20000, xlPerDay: 20000 })
    expect(c.regions.map((r) => [r.name, r.minimumBudgetPence])).toEqual([
      ["UK", 40000],
      ["EUROPE", 50000]
    ])
    expect(c.defaultRegion).toEqual({ name: "ROW", minimumBudgetPence: 60000 })
    expect(c.maxParseFailures).toBe(3)
    expect(c.tourSchedule).toEqual([])
    expect(qualificationYaml).toMatch(/^tour_schedule: \[\]$/m)
  })
})

describe("decodeConsultationConfig errors name the file, the field and the problem", () => {
  it("a missing copy key", () => {
    const e = errorOf(
      edit(copyYaml, (d) => {
        delete (d.copy as Record<string, unknown>).panic_mode_response
      }),
      qualificationYaml
    )
    expect(e).toBeInstanceOf(ConsultationConfigError)
    expect(e).toMatchObject({ file: "config/copy.en_GB.yml", field: "copy.panic_mode_response" })
    expect(e.problem).toContain("missing")
  })

  it("a placeholder nobody supplies", () => {
    const e = errorOf(
      edit(copyYaml, (d) => {
        ;(d.copy as Record<string, Array<string>>).welcome![1] = "Hi {client_name}! {question_text}"
      }),
      qualificationYaml
    )
    expect(e).toMatchObject({ file: "config/copy.en_GB.yml", field: "copy.welcome.1" })
    expect(e.problem).toContain("{client_name}")
    expect(e.message).toBe(`config/copy.en_GB.yml: copy.welcome.1: ${e.problem}`)
  })

  it("an empty variant list", () => {
    const e = errorOf(
      edit(copyYaml, (d) => {
        ;(d.copy as Record<string, unknown>).rejected = []
      }),
      qualificationYaml
    )
    expect(e.field.startsWith("copy.rejected")).toBe(true)
  })

  it("a duplicate question and a missing required question", () => {
    const dup = errorOf(
      edit(copyYaml, (d) => {
        ;(d.questions as Array<{ key: string }>)[1]!.key = "idea"
      }),
      qualificationYaml
    )
    expect(dup.field).toBe("questions.1.key")
    const missing = errorOf(
      edit(copyYaml, (d) => {
        d.questions = (d.questions as Array<{ key: string }>).filter((q) => q.key !== "budget")
      }),
      qualificationYaml
    )
    expect(missing.problem).toContain("budget")
  })

  it("a wrong type in the numbers", () => {
    const e = errorOf(
      copyYaml,
      edit(qualificationYaml, (d) => {
        ;(d.deposits_pence as Record<string, unknown>).large = "two hundred"
      })
    )
    expect(e).toMatchObject({ file: "config/qualification.yml", field: "deposits_pence.large" })
  })

  it("an unknown field (a typo) is refused", () => {
    const e = errorOf(
      copyYaml,
      edit(qualificationYaml, (d) => {
        d.max_parse_failure = 2
      })
    )
    expect(e.file).toBe("config/qualification.yml")
    expect(e.field).toBe("max_parse_failure")
  })

  it("a tour stop with an impossible date or ending before it starts", () => {
    const bad = (stop: Record<string, string>) =>
      errorOf(
        copyYaml,
        edit(qualificationYaml, (d) => {
          d.tour_schedule = [stop]
        })
      )
    expect(bad({ city: "Berlin", start_date: "2026-02-30", end_date: "2026-03-02" }).field).toBe(
      "tour_schedule.0.start_date"
    )
    expect(bad({ city: "Berlin", start_date: "2026-03-05", end_date: "2026-03-02" }).problem).toContain("before")
  })

  it("a tour schedule that is valid decodes", () => {
    const r = decodeConsultationConfig(
      copyYaml,
      edit(qualificationYaml, (d) => {
        d.tour_schedule = [{ city: "Berlin", country: "Germany", start_date: "2026-02-19", end_date: "2026-02-24" }]
      })
    )
    expect(Either.getOrThrow(r).tourSchedule).toEqual([
      { city: "Berlin", country: "Germany", startDate: "2026-02-19", endDate: "2026-02-24" }
    ])
  })

  it("YAML that does not parse", () => {
    const e = errorOf("artist_name: [unclosed", qualificationYaml)
    expect(e.file).toBe("config/copy.en_GB.yml")
    expect(e.field).toMatch(/^\(yaml/)
  })

  it("custom file names appear in the error", () => {
    const r = decodeConsultationConfig("{}", qualificationYaml, { copy: "/etc/bot/copy.yml" })
    expect(Either.isLeft(r) && r.left.file).toBe("/etc/bot/copy.yml")
  })
})

describe("the copy catalogue", () => {
  const c = defaultConsultationConfig
  const sample = (name: string): string => `<${name}>`

  it("defines every key the engine and the host render", () => {
    for (const key of copyKeys) expect(c.copy[key]?.length ?? 0).toBeGreaterThan(0)
  })

  it("every variant rendered with its documented placeholders leaves no {placeholder} behind", () => {
    for (const key of copyKeys) {
      const vars = Object.fromEntries(copyPlaceholders[key].map((p) => [p, sample(p)]))
      for (let i = 0; i < (c.copy[key]?.length ?? 0); i++) {
        const out = renderCopyVariant(c, key, i, vars)
        expect(out, `${key}[${i}]`).not.toMatch(/\{[a-z_][a-z0-9_]*\}/)
        for (const p of copyPlaceholders[key]) {
          // Each documented placeholder is used by at least one variant of its key.
          if (i === 0) {
            const used = c.copy[key]!.some((v) => v.includes(`{${p}}`))
            expect(used, `${key} never uses {${p}}`).toBe(true)
          }
        }
      }
    }
  })

  it("a placeholder without a value renders empty, never as {x}", () => {
    expect(renderCopyVariant(c, "tour_accept", 0, {})).toBe(
      "Great! I'll proceed with your booking for . Jonah will review and get back to you soon."
    )
  })

  it("has the runbook's panic message and the artist's name everywhere", () => {
    expect(renderCopyVariant(c, "panic_mode_response", 0)).toBe("Thanks — Jonah will reply shortly.")
    const renamed = { ...c, artistName: "Mara" }
    expect(renderCopyVariant(renamed, "panic_mode_response", 0)).toBe("Thanks — Mara will reply shortly.")
    expect(JSON.stringify(c.copy)).not.toContain("Jonah")
  })

  it("picks a deterministic variant per lead and key, and variant 0 without a lead", () => {
    expect(renderCopy(c, "welcome", { question_text: "Q" })).toBe(renderCopyVariant(c, "welcome", 0, { question_text: "Q" }))
    const seen = new Set<number>()
    for (let lead = 1; lead <= 60; lead++) {
      const i = variantIndex("welcome", 3, lead)
      expect(variantIndex("welcome", 3, lead)).toBe(i)
      expect(variantIndex("welcome", 3, String(lead))).toBe(i)
      expect(renderCopy(c, "welcome", { question_text: "Q" }, lead)).toBe(
        renderCopyVariant(c, "welcome", i, { question_text: "Q" })
      )
      seen.add(i)
    }
    expect(seen).toEqual(new Set([0, 1, 2]))
  })

  it("a hand-built config without a key falls back to the shipped copy", () => {
    const { rejected: _dropped, ...rest } = c.copy
    expect(renderCopy({ ...c, copy: rest }, "rejected")).toBe(renderCopyVariant(c, "rejected", 0))
  })

  it("clamps variant indices", () => {
    expect(renderCopyVariant(c, "repair_size", 9)).toBe(renderCopyVariant(c, "repair_size", 1))
    expect(renderCopyVariant(c, "repair_size", -3)).toBe(renderCopyVariant(c, "repair_size", 0))
  })
})
