/**
 * Reads a lead id we wrote into Stripe ourselves (`client_reference_id`, `metadata.lead_id`). Strict on
 * purpose: digits only, positive, a safe integer. "1.5", " 7", "7abc" and "0" are not lead ids.
 */
export const parseLeadId = (raw: string | null | undefined): number | undefined => {
  if (raw === null || raw === undefined || !/^[1-9][0-9]{0,15}$/.test(raw)) return undefined
  const value = Number(raw)
  return Number.isSafeInteger(value) ? value : undefined
}

/** Where the two lead id sources ended up. */
export type LeadIdSource =
  | { readonly _tag: "Found"; readonly leadId: number }
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Conflicting"; readonly clientReferenceId: number; readonly metadataLeadId: number }
  | { readonly _tag: "Malformed"; readonly raw: string }

/**
 * Resolves the lead id from `client_reference_id` and `metadata.lead_id`. We set both to the same value,
 * so two different ids mean the object was not created by us as we think: that is surfaced, not guessed.
 */
export const resolveLeadId = (
  clientReferenceId: string | null | undefined,
  metadataLeadId: string | null | undefined
): LeadIdSource => {
  const fromReference = parseLeadId(clientReferenceId)
  const fromMetadata = parseLeadId(metadataLeadId)
  if (fromReference !== undefined && fromMetadata !== undefined && fromReference !== fromMetadata) {
    return { _tag: "Conflicting", clientReferenceId: fromReference, metadataLeadId: fromMetadata }
  }
  const leadId = fromReference ?? fromMetadata
  if (leadId !== undefined) return { _tag: "Found", leadId }
  const raw = [clientReferenceId, metadataLeadId].find((value) => typeof value === "string" && value !== "")
  return raw === undefined || raw === null ? { _tag: "Missing" } : { _tag: "Malformed", raw }
}
