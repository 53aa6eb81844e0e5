/** Column letters for a zero-based index: 0 → A, 25 → Z, 26 → AA. */
export const columnName = (index: number): string => {
  let n = index + 1
  let name = ""
  while (n > 0) {
    const r = (n - 1) % 26
    name = String.fromCharCode(65 + r) + name
    n = Math.floor((n - 1) / 26)
  }
  return name
}

/** A sheet name quoted for A1 notation, so spaces, `!` and quotes in the name are safe. */
export const quoteSheet = (name: string): string => `'${name.replaceAll("'", "''")}'`

/** The 1-based row number at the start of an A1 range such as `'Leads'!A7:AX7`. */
export const firstRowOf = (range: string | undefined): number | undefined => {
  const match = range === undefined ? null : /![A-Z]+(\d+)/.exec(range)
  return match?.[1] === undefined ? undefined : Number(match[1])
}
