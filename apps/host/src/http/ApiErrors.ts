import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

/** 400 for a status-locked action on a lead in the wrong status: `{"error":"invalid_transition","message":...}`. */
export class InvalidTransitionResponse extends Schema.Class<InvalidTransitionResponse>("InvalidTransitionResponse")(
  { error: Schema.Literal("invalid_transition"), message: Schema.String },
  HttpApiSchema.annotations({ status: 400, description: "The lead is not in a status that allows this action" })
) {
  static of(message: string) {
    return new InvalidTransitionResponse({ error: "invalid_transition", message })
  }
}

/** 400 for a request the service understood but cannot accept. */
export class BadRequestResponse extends Schema.Class<BadRequestResponse>("BadRequestResponse")(
  // Literal error codes keep the error union discriminated, so each class answers with its own status.
  { error: Schema.Literal("bad_request", "invalid_status"), message: Schema.String },
  HttpApiSchema.annotations({ status: 400, description: "Bad request" })
) {
  static of(error: "bad_request" | "invalid_status", message: string) {
    return new BadRequestResponse({ error, message })
  }
}

/** 401 for a missing or wrong `X-Admin-API-Key`. */
export class UnauthorizedResponse extends Schema.Class<UnauthorizedResponse>("UnauthorizedResponse")(
  { error: Schema.Literal("unauthorized"), message: Schema.String },
  HttpApiSchema.annotations({ status: 401, description: "Missing or wrong X-Admin-API-Key" })
) {}

/** 403 for a wrong `X-Admin-API-Key`. */
export class ForbiddenResponse extends Schema.Class<ForbiddenResponse>("ForbiddenResponse")(
  { error: Schema.Literal("forbidden"), message: Schema.String },
  HttpApiSchema.annotations({ status: 403, description: "Wrong X-Admin-API-Key" })
) {}

/** 404 for an unknown lead (or other id), only after authentication. */
export class NotFoundResponse extends Schema.Class<NotFoundResponse>("NotFoundResponse")(
  { error: Schema.Literal("not_found"), message: Schema.String },
  HttpApiSchema.annotations({ status: 404, description: "Not found" })
) {
  static lead(id: number) {
    return new NotFoundResponse({ error: "not_found", message: `Lead ${id} not found` })
  }
}

/** 409 when another action changed the lead first. */
export class ConflictResponse extends Schema.Class<ConflictResponse>("ConflictResponse")(
  { error: Schema.Literal("conflict"), message: Schema.String },
  HttpApiSchema.annotations({ status: 409, description: "Another action changed the lead first" })
) {}

/** 429 when a client address sends too many requests. */
export class RateLimitedResponse extends Schema.Class<RateLimitedResponse>("RateLimitedResponse")(
  { error: Schema.Literal("rate_limited"), message: Schema.String },
  HttpApiSchema.annotations({ status: 429, description: "Too many requests" })
) {}

/** 502 when WhatsApp cannot provide an attachment's media (dry run, expired or unknown media, or a WhatsApp error). */
export class MediaUnavailableResponse extends Schema.Class<MediaUnavailableResponse>("MediaUnavailableResponse")(
  { error: Schema.Literal("media_unavailable"), message: Schema.String },
  HttpApiSchema.annotations({ status: 502, description: "WhatsApp could not provide the media" })
) {
  static of(message: string) {
    return new MediaUnavailableResponse({ error: "media_unavailable", message })
  }
}

/** 503 when an integration the action needs is unavailable (nothing was changed). */
export class UnavailableResponse extends Schema.Class<UnavailableResponse>("UnavailableResponse")(
  { error: Schema.Literal("stripe_not_configured", "integration_unavailable"), message: Schema.String },
  HttpApiSchema.annotations({ status: 503, description: "A required integration is unavailable" })
) {}
