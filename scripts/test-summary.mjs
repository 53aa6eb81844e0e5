// Sums the Vitest JSON reports (`.vitest-report.json`, written when CI is set) of every workspace
// package into one closing line: "N passed, N failed". A test file that failed without a failing
// test (it did not load, or a hook threw) counts as one failure; a package with a `test` script but
// no report (the run crashed before writing it) is named and makes the exit code non-zero.
import { existsSync, readFileSync, readdirSync } from "node:fs"
import { join, relative } from "node:path"

const roots = ["packages", "apps"].flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []))
roots.push("test")

let passed = 0
let failed = 0
let skipped = 0
const missing = []
const failing = []
for (const root of roots) {
  const manifest = join(root, "package.json")
  if (!existsSync(manifest)) continue
  const hasTests = Boolean(JSON.parse(readFileSync(manifest, "utf8")).scripts?.test)
  const file = join(root, ".vitest-report.json")
  if (!existsSync(file)) {
    if (hasTests) missing.push(root)
    continue
  }
  const report = JSON.parse(readFileSync(file, "utf8"))
  let brokenFiles = 0
  for (const result of report.testResults ?? []) {
    const assertions = result.assertionResults ?? []
    const failedHere = assertions.filter((a) => a.status === "failed")
    for (const a of failedHere) failing.push(`${root}: ${a.fullName ?? a.title}`)
    if (result.status === "failed" && failedHere.length === 0) {
      brokenFiles += 1
      failing.push(`${root}: ${relative(process.cwd(), result.name ?? "?")} (${(result.message ?? "failed").split("\n")[0]})`)
    }
  }
  const p = report.numPassedTests ?? 0
  const f = (report.numFailedTests ?? 0) + brokenFiles
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  passed += p
  failed += f
  skipped += s
  console.log(`${root}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ""}`)
}
if (failing.length > 0) {
  console.log("failing:")
  for (const line of failing.slice(0, 50)) console.log(`  ${line}`)
  if (failing.length > 50) console.log(`  … and ${failing.length - 50} more`)
}
if (missing.length > 0) console.log(`no test report from: ${missing.join(", ")}`)
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`)
process.exit(failed > 0 || missing.length > 0 ? 1 : 0)
