import { Config, ConfigError, ConfigProvider, Context, Effect, Either, Layer, Option, Redacted, Schema } from "effect"
import { isIP } from "node:net"
import { availableParallelism } from "node:os"

/** Where the service runs; production turns on the guardrails. */
export const AppEnv = Schema.Literal("development", "test", "staging", "production")
export type AppEnv = typeof AppEnv.Type

const LogLevelName = Schema.Literal("trace", "debug", "info", "warning", "error", "fatal", "none")

/** Secret development default for the WhatsApp app secret, so `pnpm chat` can sign payloads locally. */
export const DEVELOPMENT_APP_SECRET = "local-development-app-secret"

const bool = (name: string, fallback: boolean) =>
  Config.string(name).pipe(
    Config.mapOrFail((raw) => {
      const value = raw.trim().toLowerCase()
      if (["true", "1", "yes", "on"].includes(value)) return Either.right(true)
      if (["false", "0", "no", "off"].includes(value)) return Either.right(false)
      return Either.left(ConfigError.InvalidData([], `${name} must be true or false, got "${raw}"`))
    }),
    Config.withDefault(fallback)
  )

const optionalString = (name: string) =>
  Config.string(name).pipe(
    Config.map((s) => s.trim()),
    Config.option,
    Config.map(Option.filter((s) => s.length > 0))
  )

const optionalSecret = (name: string) =>
  Config.redacted(name).pipe(
    Config.option,
    Config.map(Option.filter((r) => Redacted.value(r).trim().length > 0))
  )

const url = (name: string, fallback?: string) => {
  const base = Config.string(name).pipe(
    Config.mapOrFail((raw) => {
      try {
        const parsed = new URL(raw.trim())
        if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("protocol")
        return Either.right(raw.trim().replace(/\/+$/, ""))
      } catch {
        return Either.left(ConfigError.InvalidData([], `${name} must be an http(s) URL, got "${raw}"`))
      }
    })
  )
  return fallback === undefined ? base : base.pipe(Config.withDefault(fallback))
}

const int = (name: string, fallback: number, min: number, max: number) =>
  Config.string(name).pipe(
    Config.mapOrFail((raw) => {
      const n = Number(raw.trim())
      return Number.isInteger(n) && n >= min && n <= max
        ? Either.right(n)
        : Either.left(ConfigError.InvalidData([], `${name} must be an integer between ${min} and ${max}, got "${raw}"`))
    }),
    Config.withDefault(fallback)
  )

const phone = (name: string) =>
  optionalString(name).pipe(
    Config.mapOrFail((value) =>
      Option.match(value, {
        onNone: () => Either.right(Option.none<string>()),
        onSome: (raw) => {
          const digits = raw.replace(/[\s+()-]/g, "")
          return /^\d{8,15}$/.test(digits)
            ? Either.right(Option.some(digits))
            : Either.left(ConfigError.InvalidData([], `${name} must be a phone number in international format, got "${raw}"`))
        }
      })
    )
  )

/** An IPv4/IPv6 address, or one with a prefix length (`10.0.0.0/8`, `fd00::/8`). */
const isAddressOrSubnet = (entry: string): boolean => {
  const [address = "", prefix, ...rest] = entry.split("/")
  const version = isIP(address)
  if (version === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  const bits = Number(prefix)
  return /^\d+$/.test(prefix) && bits >= 0 && bits <= (version === 4 ? 32 : 128)
}

/**
 * How many server processes share the port (`node:cluster`): a whole number, or `auto` for one per
 * CPU core. Unset or 1: one process.
 */
const webConcurrency = (name: string) =>
  Config.string(name).pipe(
    Config.mapOrFail((raw) => {
      const value = raw.trim().toLowerCase()
      if (value === "" ) return Either.right(1)
      if (value === "auto") return Either.right(Math.max(1, availableParallelism()))
      const n = Number(value)
      return Number.isInteger(n) && n >= 1 && n <= 64
        ? Either.right(n)
        : Either.left(ConfigError.InvalidData([], `${name} must be "auto" or an integer between 1 and 64, got "${raw}"`))
    }),
    Config.withDefault(1)
  )

/** Every variable of the runbook's checklist and the product spec's additions. */
export const appConfig = Config.all({
  appEnv: Schema.Config("APP_ENV", AppEnv).pipe(Config.withDefault("development" as const)),
  port: int("PORT", 8000, 0, 65535),
  host: Config.string("HOST").pipe(Config.withDefault("0.0.0.0")),
  logLevel: Schema.Config("LOG_LEVEL", LogLevelName).pipe(Config.withDefault("info" as const)),
  artistName: optionalString("ARTIST_NAME"),
  databaseUrl: optionalSecret("DATABASE_URL"),
  databasePoolSize: int("DATABASE_POOL_SIZE", 20, 1, 200),
  webConcurrency: webConcurrency("WEB_CONCURRENCY"),
  dataDir: Config.string("DATA_DIR").pipe(Config.withDefault(".data")),
  whatsapp: Config.all({
    verifyToken: optionalSecret("WHATSAPP_VERIFY_TOKEN"),
    accessToken: optionalSecret("WHATSAPP_ACCESS_TOKEN"),
    phoneNumberId: optionalString("WHATSAPP_PHONE_NUMBER_ID"),
    dryRun: bool("WHATSAPP_DRY_RUN", true),
    appSecret: optionalSecret("WHATSAPP_APP_SECRET"),
    apiBaseUrl: url("WHATSAPP_API_BASE_URL", "https://graph.facebook.com"),
    apiVersion: Config.string("WHATSAPP_API_VERSION").pipe(Config.withDefault("v26.0"))
  }),
  stripe: Config.all({
    secretKey: optionalSecret("STRIPE_SECRET_KEY"),
    webhookSecret: optionalSecret("STRIPE_WEBHOOK_SECRET"),
    successUrl: url("STRIPE_SUCCESS_URL").pipe(Config.option),
    cancelUrl: url("STRIPE_CANCEL_URL").pipe(Config.option),
    apiBaseUrl: url("STRIPE_API_BASE_URL").pipe(Config.option)
  }),
  adminApiKey: optionalSecret("ADMIN_API_KEY"),
  actionTokenBaseUrl: url("ACTION_TOKEN_BASE_URL").pipe(Config.option),
  actionTokenExpiryDays: int("ACTION_TOKEN_EXPIRY_DAYS", 7, 1, 365),
  features: Config.all({
    sheets: bool("FEATURE_SHEETS_ENABLED", true),
    calendar: bool("FEATURE_CALENDAR_ENABLED", true),
    reminders: bool("FEATURE_REMINDERS_ENABLED", true),
    notifications: bool("FEATURE_NOTIFICATIONS_ENABLED", true),
    panicMode: bool("FEATURE_PANIC_MODE_ENABLED", false)
  }),
  sheets: Config.all({
    enabled: bool("GOOGLE_SHEETS_ENABLED", true),
    spreadsheetId: optionalString("GOOGLE_SHEETS_SPREADSHEET_ID"),
    credentials: optionalSecret("GOOGLE_SHEETS_CREDENTIALS_JSON")
  }),
  calendar: Config.all({
    enabled: bool("GOOGLE_CALENDAR_ENABLED", true),
    calendarId: optionalString("GOOGLE_CALENDAR_ID"),
    credentials: optionalSecret("GOOGLE_CALENDAR_CREDENTIALS_JSON"),
    rulesPath: Config.string("CALENDAR_RULES_PATH").pipe(Config.withDefault("config/calendar_rules.yml"))
  }),
  googleApiBaseUrl: url("GOOGLE_API_BASE_URL").pipe(Config.option),
  artistWhatsAppNumber: phone("ARTIST_WHATSAPP_NUMBER"),
  configDir: Config.string("CONFIG_DIR").pipe(Config.withDefault("config")),
  /** The scheduled jobs (`src/jobs/`): whether this instance runs them, how often, and their thresholds. */
  jobs: Config.all({
    enabled: bool("JOBS_ENABLED", true),
    intervalSeconds: int("JOBS_INTERVAL_SECONDS", 60, 1, 86_400),
    reminder1Hours: int("REMINDER_1_HOURS", 12, 1, 23),
    reminder2Hours: int("REMINDER_2_HOURS", 36, 2, 720),
    abandonedHours: int("ABANDONED_HOURS", 48, 3, 2160),
    staleApprovalDays: int("STALE_APPROVAL_DAYS", 3, 1, 365),
    bookingPendingFollowUpHours: int("BOOKING_PENDING_FOLLOW_UP_HOURS", 72, 1, 2160),
    depositExpiryGraceMinutes: int("DEPOSIT_EXPIRY_GRACE_MINUTES", 15, 0, 1440),
    systemEventRetentionDays: int("SYSTEM_EVENT_RETENTION_DAYS", 90, 1, 36_500)
  }),
  trustedProxies: Config.string("TRUSTED_PROXIES").pipe(
    Config.map((s) => s.split(",").map((p) => p.trim()).filter((p) => p.length > 0)),
    Config.mapOrFail((entries) => {
      const bad = entries.find((entry) => !isAddressOrSubnet(entry))
      return bad === undefined
        ? Either.right(entries)
        : Either.left(ConfigError.InvalidData([], `TRUSTED_PROXIES must list IP addresses or subnets (10.0.0.0/8), got "${bad}"`))
    }),
    Config.withDefault([] as Array<string>)
  ),
  maxBodyBytes: int("MAX_BODY_BYTES", 1_048_576, 1024, 50 * 1_048_576),
  rateLimit: Config.all({
    enabled: bool("RATE_LIMIT_ENABLED", true),
    windowSeconds: int("RATE_LIMIT_WINDOW_SECONDS", 60, 1, 86_400),
    adminRequests: int("RATE_LIMIT_ADMIN_REQUESTS", 600, 1, 1_000_000),
    actionLinkRequests: int("RATE_LIMIT_ACTION_LINK_REQUESTS", 60, 1, 1_000_000)
  })
})

export type AppConfigShape = Config.Config.Success<typeof appConfig> & {
  /** The WhatsApp app secret in force (the configured one, or the development default outside production). */
  readonly webhookAppSecret: Redacted.Redacted<string>
  /** True when real WhatsApp sends are possible (not dry-run, token and phone number id set). */
  readonly whatsappEnabled: boolean
  readonly calendarEnabled: boolean
  readonly sheetsEnabled: boolean
}

/** A start-up configuration problem; the message names the variable. */
export class ConfigInvalid extends Schema.TaggedError<ConfigInvalid>()("ConfigInvalid", {
  message: Schema.String
}) {}

/** Applies the production guardrails and derives the integration switches. */
export const finalizeConfig = (raw: Config.Config.Success<typeof appConfig>): Either.Either<AppConfigShape, ConfigInvalid> => {
  const problems: Array<string> = []
  if (raw.appEnv === "production") {
    if (Option.isNone(raw.adminApiKey)) problems.push("ADMIN_API_KEY is required when APP_ENV=production")
    if (Option.isNone(raw.whatsapp.appSecret)) problems.push("WHATSAPP_APP_SECRET is required when APP_ENV=production")
    if (Option.isNone(raw.stripe.webhookSecret)) problems.push("STRIPE_WEBHOOK_SECRET is required when APP_ENV=production")
    if (raw.whatsapp.dryRun) problems.push("WHATSAPP_DRY_RUN must be false when APP_ENV=production")
    if (Option.isNone(raw.databaseUrl)) problems.push("DATABASE_URL is required when APP_ENV=production")
  }
  if (!raw.whatsapp.dryRun) {
    if (Option.isNone(raw.whatsapp.accessToken)) problems.push("WHATSAPP_ACCESS_TOKEN is required when WHATSAPP_DRY_RUN=false")
    if (Option.isNone(raw.whatsapp.phoneNumberId)) problems.push("WHATSAPP_PHONE_NUMBER_ID is required when WHATSAPP_DRY_RUN=false")
  }
  if (!/^v\d+\.\d+$/.test(raw.whatsapp.apiVersion)) {
    problems.push(`WHATSAPP_API_VERSION must look like v26.0, got "${raw.whatsapp.apiVersion}"`)
  }
  if (raw.jobs.reminder1Hours >= raw.jobs.reminder2Hours) {
    problems.push(`REMINDER_2_HOURS (${raw.jobs.reminder2Hours}) must be greater than REMINDER_1_HOURS (${raw.jobs.reminder1Hours})`)
  }
  if (raw.jobs.reminder2Hours >= raw.jobs.abandonedHours) {
    problems.push(`ABANDONED_HOURS (${raw.jobs.abandonedHours}) must be greater than REMINDER_2_HOURS (${raw.jobs.reminder2Hours})`)
  }
  const calendarEnabled =
    raw.features.calendar && raw.calendar.enabled && Option.isSome(raw.calendar.calendarId) && Option.isSome(raw.calendar.credentials)
  const sheetsEnabled =
    raw.features.sheets && raw.sheets.enabled && Option.isSome(raw.sheets.spreadsheetId) && Option.isSome(raw.sheets.credentials)
  if (problems.length > 0) return Either.left(new ConfigInvalid({ message: problems.join("; ") }))
  return Either.right({
    ...raw,
    webhookAppSecret: Option.getOrElse(raw.whatsapp.appSecret, () => Redacted.make(DEVELOPMENT_APP_SECRET)),
    whatsappEnabled: !raw.whatsapp.dryRun,
    calendarEnabled,
    sheetsEnabled
  })
}

/** The host's configuration, read once at start-up. */
export class AppConfig extends Context.Tag("@tattoo-bot/host/AppConfig")<AppConfig, AppConfigShape>() {
  /** Reads the environment; a bad value fails with a message naming the variable. */
  static readonly layer = Layer.effect(
    AppConfig,
    Effect.gen(function* () {
      const raw = yield* appConfig.pipe(
        Effect.mapError((error) => new ConfigInvalid({ message: formatConfigError(error) }))
      )
      return yield* finalizeConfig(raw)
    })
  )

  /** A layer from an explicit map of variables (tests and tools). */
  static readonly layerFromEnv = (env: Record<string, string | undefined>) =>
    AppConfig.layer.pipe(
      Layer.provide(
        Layer.setConfigProvider(configProviderFromEnv(env))
      )
    )
}

const configProviderFromEnv = (env: Record<string, string | undefined>) =>
  ConfigProvider.fromMap(
    new Map(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
  )

/** Flattens a ConfigError into one readable line that names each variable. */
export const formatConfigError = (error: ConfigError.ConfigError): string => {
  const lines: Array<string> = []
  const walk = (e: ConfigError.ConfigError): void => {
    switch (e._op) {
      case "And":
      case "Or":
        walk(e.left)
        walk(e.right)
        return
      case "InvalidData":
      case "MissingData":
      case "SourceUnavailable":
      case "Unsupported": {
        const path = e.path.join(".")
        const msg = e.message.includes(path) || path === "" ? e.message : `${path}: ${e.message}`
        lines.push(msg)
        return
      }
    }
  }
  walk(error)
  return [...new Set(lines)].join("; ")
}
