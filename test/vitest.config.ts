import { mergeConfig } from "vitest/config"
import { sharedConfig } from "../config/vitest.shared.ts"

export default mergeConfig(sharedConfig, { test: { include: ["**/*.test.ts"], exclude: ["node_modules/**"] } })
