/**
 * The host's configuration: every runbook variable (and the spec's additions) is read, a bad value
 * is a start-up error naming the variable, and production refuses to start without its secrets or
 * in dry-run. Also the real entry point (`src/main.ts`) as a child process.
 */
import { Cause, Effect, Exit, Option, Redacted } from "effect"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { AppConfig, type AppConfigShape } from "../src/config/AppConfig.js"

const load = (env: Record<string, string>) => Effect.runPromiseExit(Effect.provide(AppConfig, AppConfig.layerFromEnv(env)))

const loadOk = async (env: Record<string, string>): Promise<AppConfigShape> => {
  const exit = await load(env)
  if (Exit.isFailure(exit)) throw new Error(`expected the configuration to load: ${Cause.pretty(exit.cause)}`)
  return exit.value
}

/** The start-up error message for `env` (fails the test when the configuration loads). */
const loadError = async (env: Record<string, string>): Promise<string> => {
  const exit = await load(env)
  if (Exit.isSuccess(exit)) throw new Error("expected the configuration to be refused")
  const failure = Cause.failureOption(exit.cause)
  expect(Option.isSome(failure)).toBe(true)
  const error = Option.getOrThrow(failure) as { _tag: string; message: string }
  expect(error._tag).toBe("ConfigInvalid")
  return error.message
}

const secret = (value: Option.Option<Redacted.Redacted<string>>) => Option.map(value, Redacted.value).pipe(Option.getOrNull)

/** A production environment that passes every guardrail. */
const production: Record<string, string> = {
  APP_ENV: "production",
  DATABASE_URL: "postgresql://user:password@db.example:5432/tattoo",
  ADMIN_API_KEY: "a-strong-admin-key",
  WHATSAPP_APP_SECRET: "app-secret",
  STRIPE_WEBHOOK_SECRET: "whsec_live_secret",
  WHATSAPP_DRY_RUN: "false",
  WHATSAPP_ACCESS_TOKEN: "EAAG-token",
  WHATSAPP_PHONE_NUMBER_ID: "106540352242922"
}

describe("AppConfig.layerFromEnv", () => {
  it.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["FEATURE_SHEETS_ENABLED", "maybe"],
    ["FEATURE_PANIC_MODE_ENABLED", "sometimes"],
    ["WHATSAPP_DRY_RUN", "perhaps"],
    ["ACTION_TOKEN_EXPIRY_DAYS", "0"],
    ["ACTION_TOKEN_EXPIRY_DAYS", "1.5"],
    ["WHATSAPP_API_BASE_URL", "ftp://x"],
    ["WHATSAPP_API_BASE_URL", "not a url"],
    ["STRIPE_SUCCESS_URL", "javascript:alert(1)"],
    ["ACTION_TOKEN_BASE_URL", "yourdomain.com"],
    ["GOOGLE_API_BASE_URL", "file:///etc/passwd"],
    ["ARTIST_WHATSAPP_NUMBER", "abc"],
    ["ARTIST_WHATSAPP_NUMBER", "12"],
    ["APP_ENV", "prod"],
    ["LOG_LEVEL", "loud"]
  ])("refuses %s=%s with a message naming the variable", async (name, value) => {
    const message = await loadError({ [name]: value })
    expect(message).toContain(name)
  })

  it("names every bad variable when several are wrong", async () => {
    const message = await loadError({ PORT: "abc", FEATURE_SHEETS_ENABLED: "maybe", ARTIST_WHATSAPP_NUMBER: "abc" })
    for (const name of ["PORT", "FEATURE_SHEETS_ENABLED", "ARTIST_WHATSAPP_NUMBER"]) expect(message).toContain(name)
  })

  it("loads with nothing set: development, dry-run, every feature on but panic mode", async () => {
    const config = await loadOk({})
    expect(config.appEnv).toBe("development")
    expect(config.port).toBe(8000)
    expect(config.dataDir).toBe(".data")
    expect(config.whatsapp.dryRun).toBe(true)
    expect(config.whatsappEnabled).toBe(false)
    expect(config.features).toEqual({ sheets: true, calendar: true, reminders: true, notifications: true, panicMode: false })
    expect(config.actionTokenExpiryDays).toBe(7)
    expect(config.calendar.rulesPath).toBe("config/calendar_rules.yml")
    expect(Option.isNone(config.adminApiKey)).toBe(true)
    // Without an app secret the local development one signs webhooks (what `pnpm chat` uses).
    expect(Redacted.value(config.webhookAppSecret)).toBe("local-development-app-secret")
  })

  it("treats empty and blank secrets as unset", async () => {
    const config = await loadOk({ ADMIN_API_KEY: "", WHATSAPP_APP_SECRET: "  ", ARTIST_WHATSAPP_NUMBER: "" })
    expect(Option.isNone(config.adminApiKey)).toBe(true)
    expect(Option.isNone(config.whatsapp.appSecret)).toBe(true)
    expect(Option.isNone(config.artistWhatsAppNumber)).toBe(true)
  })

  it("accepts the runbook's production checklist", async () => {
    const config = await loadOk(production)
    expect(config.appEnv).toBe("production")
    expect(config.whatsappEnabled).toBe(true)
    expect(Redacted.value(config.webhookAppSecret)).toBe("app-secret")
  })

  it.each([
    ["ADMIN_API_KEY", { ADMIN_API_KEY: "" }],
    ["WHATSAPP_APP_SECRET", { WHATSAPP_APP_SECRET: "" }],
    ["STRIPE_WEBHOOK_SECRET", { STRIPE_WEBHOOK_SECRET: "" }],
    ["WHATSAPP_DRY_RUN", { WHATSAPP_DRY_RUN: "true" }],
    ["DATABASE_URL", { DATABASE_URL: "" }]
  ])("refuses production without %s (or with dry-run), naming only that", async (name, override) => {
    const message = await loadError({ ...production, ...override })
    expect(message).toContain(name)
    for (const other of ["ADMIN_API_KEY", "WHATSAPP_APP_SECRET", "STRIPE_WEBHOOK_SECRET", "WHATSAPP_DRY_RUN", "DATABASE_URL"]) {
      if (other !== name) expect(message).not.toContain(other)
    }
  })

  it("names each production guardrail at once when all are missing", async () => {
    const message = await loadError({ APP_ENV: "production" })
    expect(message).toContain("ADMIN_API_KEY is required when APP_ENV=production")
    expect(message).toContain("WHATSAPP_APP_SECRET is required when APP_ENV=production")
    expect(message).toContain("STRIPE_WEBHOOK_SECRET is required when APP_ENV=production")
    expect(message).toContain("WHATSAPP_DRY_RUN must be false when APP_ENV=production")
  })

  it("requires the Graph API credentials when WhatsApp is live", async () => {
    const message = await loadError({ WHATSAPP_DRY_RUN: "false" })
    expect(message).toContain("WHATSAPP_ACCESS_TOKEN")
    expect(message).toContain("WHATSAPP_PHONE_NUMBER_ID")
  })

  /** Every variable of the runbook's checklist and the spec's additions, a value, and where it lands. */
  const table: ReadonlyArray<[string, string, (c: AppConfigShape) => unknown, unknown]> = [
    // Runbook: required
    ["DATABASE_URL", "postgresql://u:p@h:5432/db", (c) => secret(c.databaseUrl), "postgresql://u:p@h:5432/db"],
    ["WHATSAPP_VERIFY_TOKEN", "verify-me", (c) => secret(c.whatsapp.verifyToken), "verify-me"],
    ["WHATSAPP_ACCESS_TOKEN", "EAAG-x", (c) => secret(c.whatsapp.accessToken), "EAAG-x"],
    ["WHATSAPP_PHONE_NUMBER_ID", "1234567890", (c) => Option.getOrNull(c.whatsapp.phoneNumberId), "1234567890"],
    ["WHATSAPP_DRY_RUN", "false", (c) => c.whatsapp.dryRun, false],
    ["STRIPE_SECRET_KEY", "sk_test_abc", (c) => secret(c.stripe.secretKey), "sk_test_abc"],
    ["STRIPE_WEBHOOK_SECRET", "whsec_abc", (c) => secret(c.stripe.webhookSecret), "whsec_abc"],
    ["STRIPE_SUCCESS_URL", "https://example.com/success", (c) => Option.getOrNull(c.stripe.successUrl), "https://example.com/success"],
    ["STRIPE_CANCEL_URL", "https://example.com/cancel", (c) => Option.getOrNull(c.stripe.cancelUrl), "https://example.com/cancel"],
    ["ADMIN_API_KEY", "admin-key", (c) => secret(c.adminApiKey), "admin-key"],
    ["APP_ENV", "staging", (c) => c.appEnv, "staging"],
    ["ACTION_TOKEN_BASE_URL", "https://example.com", (c) => Option.getOrNull(c.actionTokenBaseUrl), "https://example.com"],
    // Runbook: feature flags
    ["FEATURE_SHEETS_ENABLED", "false", (c) => c.features.sheets, false],
    ["FEATURE_CALENDAR_ENABLED", "false", (c) => c.features.calendar, false],
    ["FEATURE_REMINDERS_ENABLED", "false", (c) => c.features.reminders, false],
    ["FEATURE_NOTIFICATIONS_ENABLED", "false", (c) => c.features.notifications, false],
    ["FEATURE_PANIC_MODE_ENABLED", "true", (c) => c.features.panicMode, true],
    // Runbook: optional
    ["GOOGLE_SHEETS_ENABLED", "false", (c) => c.sheets.enabled, false],
    ["GOOGLE_SHEETS_SPREADSHEET_ID", "sheet-1", (c) => Option.getOrNull(c.sheets.spreadsheetId), "sheet-1"],
    ["GOOGLE_SHEETS_CREDENTIALS_JSON", "/secrets/sa.json", (c) => secret(c.sheets.credentials), "/secrets/sa.json"],
    ["GOOGLE_CALENDAR_ENABLED", "false", (c) => c.calendar.enabled, false],
    ["GOOGLE_CALENDAR_ID", "cal@group.calendar.google.com", (c) => Option.getOrNull(c.calendar.calendarId), "cal@group.calendar.google.com"],
    ["GOOGLE_CALENDAR_CREDENTIALS_JSON", '{"type":"service_account"}', (c) => secret(c.calendar.credentials), '{"type":"service_account"}'],
    ["ARTIST_WHATSAPP_NUMBER", "+44 7700 900123", (c) => Option.getOrNull(c.artistWhatsAppNumber), "447700900123"],
    ["ACTION_TOKEN_EXPIRY_DAYS", "14", (c) => c.actionTokenExpiryDays, 14],
    // The spec's additions
    ["WHATSAPP_APP_SECRET", "app-secret", (c) => Redacted.value(c.webhookAppSecret), "app-secret"],
    ["PORT", "9123", (c) => c.port, 9123],
    ["ARTIST_NAME", "Mara", (c) => Option.getOrNull(c.artistName), "Mara"],
    ["LOG_LEVEL", "debug", (c) => c.logLevel, "debug"],
    ["CALENDAR_RULES_PATH", "/etc/tattoo/rules.yml", (c) => c.calendar.rulesPath, "/etc/tattoo/rules.yml"],
    ["WHATSAPP_API_BASE_URL", "http://127.0.0.1:9999/", (c) => c.whatsapp.apiBaseUrl, "http://127.0.0.1:9999"],
    ["STRIPE_API_BASE_URL", "http://127.0.0.1:9998", (c) => Option.getOrNull(c.stripe.apiBaseUrl), "http://127.0.0.1:9998"],
    ["GOOGLE_API_BASE_URL", "http://127.0.0.1:9997", (c) => Option.getOrNull(c.googleApiBaseUrl), "http://127.0.0.1:9997"],
    ["DATA_DIR", "/var/lib/tattoo", (c) => c.dataDir, "/var/lib/tattoo"]
  ]

  it.each(table)("reads %s", async (name, value, read, expected) => {
    const env: Record<string, string> = { [name]: value }
    // Live WhatsApp needs its credentials; they are not what this row is about.
    if (name === "WHATSAPP_DRY_RUN") Object.assign(env, { WHATSAPP_ACCESS_TOKEN: "t", WHATSAPP_PHONE_NUMBER_ID: "1" })
    if (name === "APP_ENV") expect(value).not.toBe("production")
    const config = await loadOk(env)
    expect(read(config)).toEqual(expected)
    // And the default is something else, so the row proves the variable was read.
    expect(read(await loadOk({}))).not.toEqual(expected)
  })

  it("turns an integration on only when its feature flag, switch, id and credentials are all set", async () => {
    const sheets = { GOOGLE_SHEETS_SPREADSHEET_ID: "s", GOOGLE_SHEETS_CREDENTIALS_JSON: "{}" }
    const calendar = { GOOGLE_CALENDAR_ID: "c", GOOGLE_CALENDAR_CREDENTIALS_JSON: "{}" }
    expect((await loadOk({ ...sheets, ...calendar })).sheetsEnabled).toBe(true)
    expect((await loadOk({ ...sheets, ...calendar })).calendarEnabled).toBe(true)
    expect((await loadOk({ ...sheets, FEATURE_SHEETS_ENABLED: "false" })).sheetsEnabled).toBe(false)
    expect((await loadOk({ ...sheets, GOOGLE_SHEETS_ENABLED: "false" })).sheetsEnabled).toBe(false)
    expect((await loadOk({ GOOGLE_SHEETS_SPREADSHEET_ID: "s" })).sheetsEnabled).toBe(false)
    expect((await loadOk({ ...calendar, FEATURE_CALENDAR_ENABLED: "false" })).calendarEnabled).toBe(false)
    expect((await loadOk({ GOOGLE_CALENDAR_ID: "c" })).calendarEnabled).toBe(false)
  })

  it("reads feature flags in the usual spellings", async () => {
    for (const [raw, expected] of [["true", true], ["TRUE", true], ["1", true], ["yes", true], ["false", false], ["0", false], ["off", false]] as const) {
      expect([raw, (await loadOk({ FEATURE_PANIC_MODE_ENABLED: raw })).features.panicMode]).toEqual([raw, expected])
    }
  })
})

describe("src/main.ts start-up", () => {
  const hostDir = fileURLToPath(new URL("..", import.meta.url))

  /** Runs the real entry point with exactly `env` (plus PATH) and returns its exit code and stderr. */
  const runMain = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
      const dataDir = mkdtempSync(join(tmpdir(), "tb-main-"))
      const child = spawn(process.execPath, ["--conditions=@tattoo-bot/source", "--import", "tsx", "src/main.ts"], {
        cwd: hostDir,
        env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir, PORT: "0", ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let stderr = ""
      let stdout = ""
      child.stderr.on("data", (chunk) => {
        stderr += String(chunk)
      })
      child.stdout.on("data", (chunk) => {
        stdout += String(chunk)
      })
      const timer = setTimeout(() => {
        child.kill("SIGKILL")
        reject(new Error(`main.ts did not exit; stderr: ${stderr}`))
      }, 60_000)
      child.on("exit", (code) => {
        clearTimeout(timer)
        rmSync(dataDir, { recursive: true, force: true })
        resolve({ code, stderr, stdout })
      })
    })

  it("exits non-zero naming the bad variable on stderr", async () => {
    const result = await runMain({ PORT: "abc" })
    expect(result.code).not.toBe(0)
    expect(result.code).not.toBeNull()
    expect(result.stderr).toContain("PORT")
    const line = JSON.parse(result.stderr.trim().split("\n").at(-1)!) as { level: string; message: string }
    expect(line.level).toBe("fatal")
    expect(line.message).toMatch(/^start-up failed: .*PORT must be an integer between 0 and 65535, got "abc"/)
  }, 90_000)

  it("refuses to start in production without its secrets, naming each", async () => {
    const result = await runMain({ APP_ENV: "production" })
    expect(result.code).not.toBe(0)
    for (const name of ["ADMIN_API_KEY", "WHATSAPP_APP_SECRET", "STRIPE_WEBHOOK_SECRET", "WHATSAPP_DRY_RUN"]) {
      expect(result.stderr).toContain(name)
    }
    // Nothing secret-looking is echoed and no server was started.
    expect(result.stdout).not.toContain("listening on")
  }, 90_000)
})
