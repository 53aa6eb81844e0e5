import { Cause, HashMap, Layer, List, Logger, LogLevel, Redacted } from "effect"

const PHONE = /\+?\d[\d\s-]{6,}\d/g
const SECRET = /\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]+|\bwhsec_[A-Za-z0-9]+|\bBearer\s+[A-Za-z0-9._~+/=-]+|\bEA[A-Za-z0-9]{20,}/g

/** Masks phone numbers (keeps the last three digits) and known secret shapes in a log string. */
export const redactText = (text: string): string =>
  text
    .replace(SECRET, "[secret]")
    .replace(PHONE, (match) => {
      const digits = match.replace(/\D/g, "")
      return digits.length >= 8 ? `•••${digits.slice(-3)}` : match
    })

const redactValue = (value: unknown, depth = 0): unknown => {
  if (Redacted.isRedacted(value)) return "<redacted>"
  if (typeof value === "string") return redactText(value)
  if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) >= 10_000_000) {
    return redactText(String(value))
  }
  if (depth > 6 || value === null || typeof value !== "object") return value
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = /secret|token|password|authorization|api[_-]?key|credentials/i.test(k) ? "<redacted>" : redactValue(v, depth + 1)
  }
  return out
}

const messageText = (message: unknown): string => {
  const parts = Array.isArray(message) ? message : [message]
  return parts.map((p) => (typeof p === "string" ? p : JSON.stringify(redactValue(p)))).join(" ")
}

/** One JSON object per line (to `write`): time, level, message, annotations, cause; phones and secrets masked. */
export const makeJsonLogger = (write: (line: string) => void) => Logger.make(({ annotations, cause, date, logLevel, message, spans }) => {
  const entry: Record<string, unknown> = {
    time: date.toISOString(),
    level: logLevel.label.toLowerCase(),
    message: redactText(messageText(message))
  }
  for (const [key, value] of HashMap.toEntries(annotations)) entry[key] = redactValue(value)
  if (!Cause.isEmpty(cause)) entry.cause = redactText(Cause.pretty(cause, { renderErrorCause: true }))
  const spanNames = List.toArray(spans).map((s) => s.label)
  if (spanNames.length > 0) entry.spans = spanNames
  write(`${JSON.stringify(entry)}\n`)
})

/** The JSON logger on standard output. */
export const jsonLogger = makeJsonLogger((line) => process.stdout.write(line))

const levels: Record<string, LogLevel.LogLevel> = {
  trace: LogLevel.Trace,
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warning: LogLevel.Warning,
  error: LogLevel.Error,
  fatal: LogLevel.Fatal,
  none: LogLevel.None
}

/** Replaces the default logger with the JSON one at the given minimum level (on stderr for tools whose stdout is their result). */
export const loggerLayer = (level: string, target: "stdout" | "stderr" = "stdout") =>
  Layer.merge(
    Logger.replace(Logger.defaultLogger, target === "stdout" ? jsonLogger : makeJsonLogger((line) => process.stderr.write(line))),
    Logger.minimumLogLevel(levels[level] ?? LogLevel.Info)
  )
