/** "1,200" or "1,200.50": whole pounds drop the pence, so copy reads "£400" not "£400.00". */
export const poundsText = (pence: number): string => {
  const p = Math.round(Number.isFinite(pence) ? pence : 0)
  const pounds = Math.trunc(Math.abs(p) / 100)
  const rest = Math.abs(p) % 100
  const grouped = pounds.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",")
  const sign = p < 0 ? "-" : ""
  return rest === 0 ? `${sign}${grouped}` : `${sign}${grouped}.${rest.toString().padStart(2, "0")}`
}

/** "£1,200" or "£1,200.50". */
export const formatPounds = (pence: number): string => `£${poundsText(pence)}`

/** A size in cm without float noise: 10 → "10", 7.62 → "7.6". */
export const cmText = (cm: number): string => (Number.isInteger(cm) ? String(cm) : String(Math.round(cm * 10) / 10))
