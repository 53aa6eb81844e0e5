import { defineConfig } from "vitest/config"

/**
 * Shared Vitest settings: resolve workspace packages to their TypeScript source
 * (the `@tattoo-bot/source` export condition), so tests never need a build first.
 */
export const sharedConfig = defineConfig({
  ssr: {
    resolve: {
      conditions: ["@tattoo-bot/source", "module", "node", "development|production"]
    }
  },
  test: {
    include: ["test/**/*.test.ts"],
    benchmark: { include: ["bench/**/*.bench.ts"] },
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: ".vitest-report.json" },
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
