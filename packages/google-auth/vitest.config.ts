import { sharedConfig } from "../../config/vitest.shared.ts"

export default sharedConfig
