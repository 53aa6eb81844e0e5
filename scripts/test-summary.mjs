// Sums the Vitest JSON reports of every workspace package into one closing line: "N passed, N failed".
import { existsSync, readFileSync, readdirSync } from "node:fs"
import { join } from "node:path"

const roots = ["packages", "apps"].flatMap((dir) =>
  existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []
)
roots.push("test")

let passed = 0
let failed = 0
let skipped = 0
for (const root of roots) {
  const file = join(root, ".vitest-report.json")
  if (!existsSync(file)) continue
  const report = JSON.parse(readFileSync(file, "utf8"))
  passed += report.numPassedTests ?? 0
  failed += report.numFailedTests ?? 0
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  console.log(`${root}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`)
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`)
process.exit(failed > 0 ? 1 : 0)
