import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { makeTestServiceAccount } from "../../../test/fakes/google-api.js"
import { GoogleCredentialsInvalid, loadServiceAccount } from "../src/index.js"

const account = makeTestServiceAccount("bot@example-project.iam.gserviceaccount.com")
// A slice from the middle of the key body: if it shows up anywhere, key material leaked.
const keySlice = account.privateKeyPem.split("\n")[5] ?? "unreachable"
let dir = ""

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "google-auth-"))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const failureOf = (input: string) => Effect.flip(loadServiceAccount(input))

describe("loadServiceAccount", () => {
  it.effect("reads a key file from a path", () =>
    Effect.gen(function* () {
      const path = join(dir, "key.json")
      yield* Effect.promise(() => writeFile(path, account.json))
      const sa = yield* loadServiceAccount(path)
      assert.strictEqual(sa.client_email, account.clientEmail)
      assert.strictEqual(sa.project_id, "test-project")
      assert.strictEqual(sa.token_uri, "https://oauth2.googleapis.com/token")
      assert.strictEqual(Redacted.value(sa.private_key), account.privateKeyPem)
    }))

  it.effect("accepts the JSON itself, also with surrounding whitespace or wrapped in Redacted", () =>
    Effect.gen(function* () {
      const inline = yield* loadServiceAccount(`\n  ${account.json}`)
      assert.strictEqual(inline.client_email, account.clientEmail)
      const redacted = yield* loadServiceAccount(Redacted.make(account.json))
      assert.strictEqual(redacted.client_email, account.clientEmail)
    }))

  it.effect("keeps the private key out of String(), JSON and inspect output", () =>
    Effect.gen(function* () {
      const sa = yield* loadServiceAccount(account.json)
      assert.notInclude(String(sa.private_key), keySlice)
      assert.notInclude(JSON.stringify(sa), keySlice)
      assert.notInclude(String(sa), keySlice)
    }))

  it.effect("bad inline JSON says it was inline JSON, where it broke, and never echoes the input", () =>
    Effect.gen(function* () {
      const broken = account.json.replace('"client_email"', "client_email")
      const error = yield* failureOf(broken)
      assert.instanceOf(error, GoogleCredentialsInvalid)
      assert.strictEqual(error.source, "inline")
      assert.match(error.message, /inline JSON: is not valid JSON/)
      assert.notInclude(error.message, keySlice)
      assert.notInclude(error.message, "client_email")
    }))

  it.effect("a missing file names the path and explains why it was read as a path", () =>
    Effect.gen(function* () {
      const path = join(dir, "nope.json")
      const error = yield* failureOf(path)
      assert.strictEqual(error.source, "file")
      assert.strictEqual(error.path, path)
      assert.include(error.message, path)
      assert.include(error.problem, "file not found")
    }))

  it.effect("a directory is reported as such", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(dir)
      assert.strictEqual(error.source, "file")
      assert.include(error.problem, "directory")
    }))

  it.effect("bad JSON inside a file says it came from the file", () =>
    Effect.gen(function* () {
      const path = join(dir, "broken.json")
      yield* Effect.promise(() => writeFile(path, "{ not json"))
      const error = yield* failureOf(path)
      assert.strictEqual(error.source, "file")
      assert.match(error.problem, /^is not valid JSON/)
    }))

  it.effect("missing fields are all listed by name", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(JSON.stringify({ type: "service_account", project_id: "p" }))
      assert.include(error.problem, "client_email is missing")
      assert.include(error.problem, "private_key is missing")
    }))

  it.effect("a private key that is not PEM is rejected without printing it", () =>
    Effect.gen(function* () {
      const secret = "super-secret-not-a-pem-value"
      const error = yield* failureOf(JSON.stringify({ client_email: "a@b.c", private_key: secret }))
      assert.include(error.problem, "private_key must be a PEM private key")
      assert.notInclude(error.message, secret)
    }))

  it.effect("a bad client_email and a non-object document are explained", () =>
    Effect.gen(function* () {
      const email = yield* failureOf(JSON.stringify({ ...JSON.parse(account.json), client_email: "nobody" }))
      assert.include(email.problem, "client_email must be an email address")
      const empty = yield* failureOf("   ")
      assert.include(empty.problem, "empty")
      const array = yield* failureOf(JSON.stringify([account.json]))
      // An array does not start with "{", so it is read as a (nonexistent) path: that is what the error says.
      assert.strictEqual(array.source, "file")
    }))
})
