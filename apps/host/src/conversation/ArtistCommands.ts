import { messageText, type WebhookMessageEvent } from "@tattoo-bot/whatsapp"
import { Effect } from "effect"
import { PanicSwitch } from "../flags/PanicSwitch.js"
import { queueArtistText } from "../leads/LeadEngine.js"

const PANIC_ON = /^\s*panic\s+on\s*[.!]*\s*$/i
const PANIC_OFF = /^\s*panic\s+off\s*[.!]*\s*$/i

/**
 * Messages from `ARTIST_WHATSAPP_NUMBER` are commands, not enquiries: "PANIC ON" / "PANIC OFF"
 * switch panic mode without a restart; anything else gets a short help text.
 */
export const handleArtistMessage = (event: WebhookMessageEvent) =>
  Effect.gen(function* () {
    const panic = yield* PanicSwitch
    const text = messageText(event.message) ?? ""
    if (PANIC_ON.test(text)) {
      yield* panic.set(true, "artist-whatsapp")
      yield* queueArtistText(null, "🛑 Panic mode is ON. Clients get the safe reply; reminders and automation are paused. Send PANIC OFF to resume.", "panic")
      return "panic_on"
    }
    if (PANIC_OFF.test(text)) {
      yield* panic.set(false, "artist-whatsapp")
      yield* queueArtistText(null, "✅ Panic mode is OFF. The bot is running normally again.", "panic")
      return "panic_off"
    }
    yield* queueArtistText(null, "Commands: PANIC ON, PANIC OFF. Leads are managed in the console and through your action links.", "help")
    return "help"
  })
