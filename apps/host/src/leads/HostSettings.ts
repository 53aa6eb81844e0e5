import { type CalendarRules, decodeCalendarRules } from "@tattoo-bot/calendar-rules"
import { type ConsultationConfig, decodeConsultationConfig } from "@tattoo-bot/consultation"
import { Context, Effect, Either, Layer, Option } from "effect"
import { join } from "node:path"
import { AppConfig } from "../config/AppConfig.js"
import { ConfigFileInvalid, readConfigText, resolveConfigPath } from "../config/ConfigFiles.js"

/** The artist-edited files under `config/`, decoded once at start-up. */
export class HostSettings extends Context.Tag("@tattoo-bot/host/HostSettings")<
  HostSettings,
  {
    readonly consultation: ConsultationConfig
    readonly calendarRules: CalendarRules
  }
>() {
  /** Reads `copy.en_GB.yml`, `qualification.yml` and the calendar rules; a bad file stops the start with its name. */
  static readonly layer = Layer.effect(
    HostSettings,
    Effect.gen(function* () {
      const config = yield* AppConfig
      const copyPath = join(config.configDir, "copy.en_GB.yml")
      const qualificationPath = join(config.configDir, "qualification.yml")
      const copy = yield* readConfigText(copyPath)
      const qualification = yield* readConfigText(qualificationPath)
      const decoded = decodeConsultationConfig(copy, qualification)
      if (Either.isLeft(decoded)) {
        return yield* new ConfigFileInvalid({ path: `${copyPath} / ${qualificationPath}`, problem: decoded.left.message })
      }
      const consultation = { ...decoded.right, artistName: Option.getOrElse(config.artistName, () => decoded.right.artistName) }
      const rulesText = yield* readConfigText(config.calendar.rulesPath)
      const rules = decodeCalendarRules(rulesText)
      if (Either.isLeft(rules)) {
        return yield* new ConfigFileInvalid({ path: resolveConfigPath(config.calendar.rulesPath), problem: rules.left.message })
      }
      return { consultation, calendarRules: rules.right }
    })
  )
}
