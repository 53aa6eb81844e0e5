import { readFile } from "node:fs/promises"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/** The fields of a Google service-account key file that the adapters use; the private key stays `Redacted`. */
export class ServiceAccount extends Schema.Class<ServiceAccount>("ServiceAccount")({
  client_email: Schema.String.pipe(
    Schema.filter((s) => /^[^@\s]+@[^@\s]+$/.test(s), { message: () => "must be an email address" })
  ),
  private_key: Schema.Redacted(
    Schema.String.pipe(
      Schema.filter((s) => /-----BEGIN (RSA )?PRIVATE KEY-----/.test(s), {
        message: () => "must be a PEM private key (-----BEGIN PRIVATE KEY-----)"
      })
    )
  ),
  token_uri: Schema.optional(Schema.String),
  project_id: Schema.optional(Schema.String)
}) {}

/** The credentials could not be read, parsed or decoded; says where they came from and what is wrong. */
export class GoogleCredentialsInvalid extends Data.TaggedError("GoogleCredentialsInvalid")<{
  /** `file` when the input was read as a path, `inline` when it was JSON text. */
  readonly source: "file" | "inline"
  /** The file path, when `source` is `file`. */
  readonly path: string | undefined
  readonly problem: string
  readonly message: string
}> {}

const invalid = (source: "file" | "inline", path: string | undefined, problem: string) =>
  new GoogleCredentialsInvalid({
    source,
    path,
    problem,
    message:
      source === "file"
        ? `Google service-account credentials from file ${path}: ${problem}`
        : `Google service-account credentials given as inline JSON: ${problem}`
  })

const decodeServiceAccount = Schema.decodeUnknownEither(ServiceAccount, { errors: "all" })

/**
 * JSON.parse messages quote the input on recent V8 versions, which would put key material in logs:
 * keep only the position.
 */
const describeJsonError = (error: unknown) => {
  const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined
  return position === undefined ? "is not valid JSON" : `is not valid JSON (error at character ${position})`
}

/** Schema messages echo the offending value; for the private key only the path is safe to show. */
const describeIssues = (error: ParseResult.ParseError) =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => {
      const field = issue.path.length === 0 ? "the document" : issue.path.join(".")
      if (issue._tag === "Missing") return `${field} is missing`
      if (issue.path[0] === "private_key") return `${field} must be a PEM private key string`
      return `${field} ${issue.message}`
    })
    .join("; ")

const parseAndDecode = (text: string, source: "file" | "inline", path: string | undefined) => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return Either.left(invalid(source, path, describeJsonError(error)))
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return Either.left(invalid(source, path, "is not a JSON object"))
  }
  return Either.mapLeft(decodeServiceAccount(json), (error) => invalid(source, path, describeIssues(error)))
}

/** Loads a service account from a key-file path or from the JSON itself (anything starting with `{`). */
export const loadServiceAccount = (
  pathOrJson: string | Redacted.Redacted<string>
): Effect.Effect<ServiceAccount, GoogleCredentialsInvalid> => {
  const input = (Redacted.isRedacted(pathOrJson) ? Redacted.value(pathOrJson) : pathOrJson).trim()
  if (input === "") return Effect.fail(invalid("inline", undefined, "no credentials given (empty value)"))
  if (input.startsWith("{")) return parseAndDecode(input, "inline", undefined)
  return Effect.tryPromise({
    try: () => readFile(input, "utf8"),
    catch: (error) => invalid("file", input, describeReadError(error))
  }).pipe(Effect.flatMap((text) => parseAndDecode(text, "file", input)))
}

const describeReadError = (error: unknown) => {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined
  switch (code) {
    case "ENOENT":
      return "file not found (the value is read as a path because it does not start with '{')"
    case "EACCES":
    case "EPERM":
      return "permission denied reading the file"
    case "EISDIR":
      return "the path is a directory, not a key file"
    default:
      return `cannot read the file${code === undefined ? "" : ` (${code})`}`
  }
}
