/**
 * Captures the host's JSON log lines (the logger writes to `process.stdout`) and checks that no
 * configured secret, bearer token or full phone number ever appears in them.
 */

export interface LogCapture {
  /** Every line written to stdout since the capture started. */
  readonly lines: Array<string>
  /** Adds lines from elsewhere (a child host's stdout). */
  readonly add: (text: string) => void
  /** Restores `process.stdout.write`. */
  readonly stop: () => void
}

/** Starts recording `process.stdout` (lines still reach the terminal). */
export const captureStdout = (): LogCapture => {
  const lines: Array<string> = []
  let partial = ""
  const add = (text: string) => {
    const parts = (partial + text).split("\n")
    partial = parts.pop() ?? ""
    for (const part of parts) if (part.length > 0) lines.push(part)
  }
  const original = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: unknown, ...rest: Array<unknown>) => {
    add(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"))
    return (original as (...args: Array<unknown>) => boolean)(chunk, ...rest)
  }) as typeof process.stdout.write
  return {
    lines,
    add,
    stop: () => {
      if (partial.length > 0) lines.push(partial)
      partial = ""
      process.stdout.write = original
    }
  }
}

/** A line recorder for text that does not pass through this process's stdout (child processes). */
export const lineRecorder = (): LogCapture => {
  const lines: Array<string> = []
  let partial = ""
  return {
    lines,
    add: (text: string) => {
      const parts = (partial + text).split("\n")
      partial = parts.pop() ?? ""
      for (const part of parts) if (part.length > 0) lines.push(part)
    },
    stop: () => {
      if (partial.length > 0) lines.push(partial)
      partial = ""
    }
  }
}

export interface LeakCheck {
  /** Secret values that must never be logged (API keys, app secrets, tokens). */
  readonly secrets: ReadonlyArray<string>
  /** Full phone numbers (digits) that must never be logged in full. */
  readonly phones: ReadonlyArray<string>
}

/** The offending lines: a secret, a `Bearer …` token, or a full phone number. Empty when clean. */
export const findLeaks = (lines: ReadonlyArray<string>, check: LeakCheck): Array<{ readonly line: string; readonly leak: string }> => {
  const found: Array<{ line: string; leak: string }> = []
  const secrets = check.secrets.filter((s) => s.length >= 6)
  const phones = [...new Set(check.phones)].filter((p) => p.length >= 8)
  for (const line of lines) {
    for (const secret of secrets) if (line.includes(secret)) found.push({ line, leak: "secret" })
    if (/Bearer\s+(?!\[)[A-Za-z0-9._~+/=-]{6,}/.test(line)) found.push({ line, leak: "bearer token" })
    const digits = line.replace(/[\s+()-]/g, "")
    for (const phone of phones) if (digits.includes(phone)) found.push({ line, leak: `phone ${phone.slice(0, 3)}…` })
  }
  return found
}
