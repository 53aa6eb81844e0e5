import { existsSync } from "node:fs"
import { defineConfig } from "tsup"

/**
 * The deployable build: `dist/main.js` (the service) and, when present, `dist/cli/job.js` (the cron
 * jobs), ESM for Node 20. Every dependency stays external, the `@tattoo-bot/*` packages included:
 * `scripts/bundle-host.sh` installs them with `pnpm deploy --prod`, built to their own `dist/`, so the
 * bundle resolves exactly what a published install would.
 */
const entries = ["src/main.ts", "src/cli/job.ts"].filter((file) => existsSync(file))

export default defineConfig({
  entry: Object.fromEntries(entries.map((file) => [file.replace(/^src\//, "").replace(/\.ts$/, ""), file])),
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: "dist",
  sourcemap: true,
  clean: true,
  dts: false,
  splitting: true,
  skipNodeModulesBundle: true
})
