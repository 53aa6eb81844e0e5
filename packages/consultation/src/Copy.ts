import type { ConsultationConfig } from "./ConsultationConfig.js"
import { COPY_KEYS, COPY_PLACEHOLDERS, type CopyKey, PLACEHOLDER } from "./internal/copyContract.js"
import { DEFAULT_COPY } from "./internal/defaultCopy.js"

export type { CopyKey, CopyVars } from "./internal/copyContract.js"

/** Every copy key and the placeholders it may use (`{artist_name}` is always available). */
export const copyPlaceholders: { readonly [K in CopyKey]: ReadonlyArray<string> } = COPY_PLACEHOLDERS

/** All copy keys the catalogue must define. */
export const copyKeys: ReadonlyArray<CopyKey> = COPY_KEYS

/** Values for a template's placeholders; numbers are printed as they are. */
export type CopyValues = { readonly [name: string]: string | number | undefined }

// FNV-1a: small, stable across platforms and versions, and good enough to spread leads over
// a handful of variants. The prior system used MD5; nothing depends on the exact indices.
const fnv1a = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** The variant a lead gets for a key: the same lead always reads the same wording. */
export const variantIndex = (key: string, variantCount: number, leadId?: string | number): number => {
  if (variantCount <= 1 || leadId === undefined) return 0
  return fnv1a(`${key}:${String(leadId)}`) % variantCount
}

const variantsOf = (config: ConsultationConfig, key: string): ReadonlyArray<string> => {
  const own = config.copy[key]
  if (own !== undefined && own.length > 0) return own
  // A hand-built config without the key falls back to the shipped copy rather than sending nothing.
  return DEFAULT_COPY[key] ?? []
}

/**
 * Fills `{placeholders}`. `{artist_name}` comes from the config. A placeholder without a value
 * renders as an empty string, never as `{x}`; the shipped catalogue is tested so that every
 * caller supplies every placeholder its key uses.
 */
export const fillTemplate = (config: ConsultationConfig, template: string, vars: CopyValues): string =>
  template.replace(PLACEHOLDER, (_whole, name: string) => {
    if (name === "artist_name") return config.artistName
    const value = vars[name]
    return value === undefined ? "" : String(value)
  })

/** Renders variant `index` of a key (clamped to the last variant), e.g. the n-th repair prompt. */
export const renderCopyVariant = (
  config: ConsultationConfig,
  key: CopyKey,
  index: number,
  vars: CopyValues = {}
): string => {
  const variants = variantsOf(config, key)
  if (variants.length === 0) return ""
  const i = Number.isInteger(index) ? Math.min(Math.max(index, 0), variants.length - 1) : 0
  return fillTemplate(config, variants[i] ?? "", vars)
}

/** Renders a copy key for a lead: a deterministic variant per (key, lead), placeholders filled. */
export const renderCopy = (
  config: ConsultationConfig,
  key: CopyKey,
  vars: CopyValues = {},
  leadId?: string | number
): string => {
  const variants = variantsOf(config, key)
  return renderCopyVariant(config, key, variantIndex(key, variants.length, leadId), vars)
}
