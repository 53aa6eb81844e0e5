import { Data, Effect, Either, Schema } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { dirname, isAbsolute, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"

/** A file under `config/` is missing or invalid; the message names the file and the problem. */
export class ConfigFileInvalid extends Data.TaggedError("ConfigFileInvalid")<{ readonly path: string; readonly problem: string }> {
  override get message() {
    return `${this.path}: ${this.problem}`
  }
}

const hostDir = dirname(fileURLToPath(import.meta.url))

/**
 * Finds a configuration file: absolute paths as given; relative ones in the working directory,
 * then in its parents, then beside the host's own sources (so `pnpm --filter` runs find the
 * repository's `config/`).
 */
export const resolveConfigPath = (path: string): string => {
  if (isAbsolute(path)) return path
  const starts = [process.cwd(), hostDir]
  for (const start of starts) {
    let dir = start
    for (;;) {
      const candidate = join(dir, path)
      if (existsSync(candidate)) return candidate
      const parent = dirname(dir)
      if (parent === dir) break
      dir = parent
    }
  }
  return resolve(process.cwd(), path)
}

/** Reads a text file, failing with the path in the error. */
export const readConfigText = (path: string) =>
  Effect.try({
    try: () => readFileSync(resolveConfigPath(path), "utf8"),
    catch: (e) => new ConfigFileInvalid({ path, problem: `cannot be read (${(e as Error).message})` })
  })

const TemplatesFile = Schema.Struct({
  templates: Schema.Array(
    Schema.Struct({ name: Schema.NonEmptyTrimmedString, language: Schema.String, body: Schema.optional(Schema.String) })
  )
})

/** The runbook's three templates, required for the 24-hour window fallback. */
export const REQUIRED_TEMPLATES = [
  "consultation_reminder_2_final",
  "next_steps_reply_to_continue",
  "deposit_received_next_steps"
] as const

/** Template names configured in `config/whatsapp_templates.yml`. */
export const loadTemplateNames = (configDir: string) =>
  Effect.gen(function* () {
    const path = join(configDir, "whatsapp_templates.yml")
    const text = yield* readConfigText(path)
    const parsed = yield* Effect.try({
      try: () => parse(text) as unknown,
      catch: (e) => new ConfigFileInvalid({ path, problem: `is not valid YAML (${(e as Error).message})` })
    })
    const decoded = Schema.decodeUnknownEither(TemplatesFile)(parsed)
    if (Either.isLeft(decoded)) return yield* new ConfigFileInvalid({ path, problem: decoded.left.message })
    return decoded.right.templates.map((t) => t.name)
  })
