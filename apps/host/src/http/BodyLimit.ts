import { HttpLayerRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { FileSystem } from "@effect/platform"
import { Effect, Option } from "effect"

/**
 * A clean 413 for bodies over `limit` bytes on every route. Without it the server resets the
 * socket when the limit is hit, which a sender cannot tell from a network fault.
 */
export const bodyLimitMiddleware = (limit: number) =>
  HttpLayerRouter.middleware(
    (effect) =>
      Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const declared = Number(request.headers["content-length"] ?? "0")
        if (Number.isFinite(declared) && declared > limit) {
          return HttpServerResponse.unsafeJson(
            { error: "payload_too_large", message: `Request body is ${declared} bytes; the limit is ${limit}` },
            { status: 413, headers: { connection: "close" } }
          )
        }
        return yield* HttpServerRequest.withMaxBodySize(effect, Option.some(FileSystem.Size(limit)))
      }),
    { global: true }
  )
