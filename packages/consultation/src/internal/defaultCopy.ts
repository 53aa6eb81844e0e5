import type { ConsultationQuestion } from "../ConsultationConfig.js"

/** The 13 questions of the prior system, same order and copy (en_GB spelling). */
export const DEFAULT_QUESTIONS: readonly [ConsultationQuestion, ...Array<ConsultationQuestion>] = [
  { key: "idea", text: "What tattoo do you want? Please describe it in detail." },
  {
    key: "placement",
    text: "Where on your body would you like this tattoo?\n\nCommon placements: arm, forearm, leg, thigh, back, chest, ribs, wrist, ankle, etc.\n\nPlease specify the exact placement."
  },
  {
    key: "dimensions",
    text: "What's the approximate size? Please give dimensions in cm (e.g., 8×12cm) or inches (e.g., 3×5 inches).\n\nIf you're not sure, give your best estimate."
  },
  {
    key: "style",
    text: "Any specific style? (e.g., fine line, realism, traditional, watercolour, geometric, etc.)\n\nIf you're not sure, just type 'not sure'."
  },
  {
    key: "complexity",
    text: "How would you describe the complexity/detail level?\n\n1) Simple linework\n2) Medium detail\n3) High detail / realism\n\nPlease reply with: 1, 2, or 3"
  },
  { key: "coverup", text: "Is this a cover-up, rework, or touch-up? (Yes/No)" },
  {
    key: "reference_images",
    text: "Do you have reference images? If yes, please send them now (images, IG links, or anything else). If not, just type 'no'."
  },
  {
    key: "budget",
    text: "What's your budget amount for this tattoo? (Please give a number, e.g., 500, 1000, 2000)"
  },
  { key: "location_city", text: "What city are you located in?" },
  { key: "location_country", text: "What country are you located in?" },
  {
    key: "instagram_handle",
    text: "What's your Instagram handle? (Optional - helps us see your style preferences)"
  },
  {
    key: "travel_city",
    text: "If you'd like to book in a different city than where you're located, which city? (If same, just type 'same' or 'none')"
  },
  {
    key: "timing",
    text: "What's your preferred timing window?\n\n• Next 2-4 weeks\n• 1-2 months\n• Flexible\n\nPlease choose one."
  }
]

type Variants = readonly [string, ...Array<string>]

/** The copy catalogue (Appendix A of the prior system, with the artist's name as a placeholder). */
export const DEFAULT_COPY: Readonly<Record<string, Variants>> = {
  welcome: [
    "👋 Hi! Thanks for reaching out. Let's get some details about your tattoo idea.\n\n{question_text}",
    "Hey! Great to hear from you. I'd love to learn more about your tattoo idea.\n\n{question_text}",
    "Hi there! Thanks for getting in touch. Let's start by gathering some details about your tattoo.\n\n{question_text}"
  ],
  ask_question: [
    "Got it — next: {question_text}",
    "Next: {question_text}",
    "{question_text}",
    "Whenever you're ready: {question_text}",
    "Thanks — next one: {question_text}"
  ],
  one_at_a_time_reprompt: [
    "Got it — we'll do one question at a time so nothing gets missed. For now: {question_text}",
    "Thanks! One at a time keeps it tidy. First: {question_text}"
  ],
  attachment_ack_reprompt: [
    "Got it, I've saved that for {artist_name}. For this step I need: {question_text}",
    "Thanks — saved. For this step: {question_text}",
    "Saved it. For this step I need: {question_text}"
  ],
  unsupported_message_reprompt: [
    "Sorry, I can only read text messages and images here. {question_text}",
    "I can't open that kind of message, sorry — a text reply works best. {question_text}"
  ],
  repair_answer: [
    "Sorry, I didn't quite catch that. {question_text}",
    "Could you try that one again? {question_text}"
  ],
  repair_size: [
    "Just to make sure I've got it right — could you give me a rough size in cm, like 10×7cm? A best guess is fine (a palm is about 8×10cm).",
    "Size? e.g. 10×7cm or 3×5 inches. One more try then I'll get {artist_name} to help."
  ],
  repair_budget: [
    "Just to clarify — what's your budget amount in pounds? A number like 500, 1000, or 2000 works.",
    "Budget? e.g. 500 or 1000 (in £). One more try then I'll get {artist_name} to help."
  ],
  repair_budget_currency: [
    "Could you give me your budget in pounds (£)? A number like 500 or 1000 works.",
    "Budget in £, please — e.g. 500 or 1000. One more try then I'll get {artist_name} to help."
  ],
  repair_location: [
    "Just to make sure — what city are you currently in?",
    "City? e.g. London or Manchester. One more try then I'll get {artist_name} to help."
  ],
  repair_complexity: [
    "Just reply with 1, 2 or 3:\n\n1) Simple linework\n2) Medium detail\n3) High detail / realism",
    "1, 2 or 3? One more try then I'll get {artist_name} to help."
  ],
  repair_coverup: [
    "Just a yes or no — is this a cover-up, rework or touch-up of an existing tattoo?",
    "Yes or no? One more try then I'll get {artist_name} to help."
  ],
  confirmation_summary: [
    "Got it — {size}, {location}, budget ~{budget}.",
    "Perfect — {size}, {location}, budget ~{budget}.",
    "Great — {size}, {location}, budget ~{budget}."
  ],
  consultation_complete: [
    "✅ Perfect! I've received all your details.\n\nBased on your answers, this looks like a *{category}* project. {artist_name} will confirm.\n\nI'll review your request and get back to you soon. If approved, I'll send you a deposit link to secure your booking.\n\nThanks for your patience! 🙏"
  ],
  budget_below_minimum: [
    "Thanks! Based on your location, the minimum booking value is *£{min_gbp}*. Your budget may need adjusting — {artist_name} will look at the options and get back to you.",
    "Thank you! For your location, the minimum booking is *£{min_gbp}*. Your budget might need to be adjusted, so {artist_name} will be in touch to talk it through.",
    "Got it! The minimum booking value for your area is *£{min_gbp}*. Your budget may need tweaking — {artist_name} will reach out with options."
  ],
  tour_offer: [
    "📍 I'll be in *{city}* on {dates}.\n\nWould you like to book for that location instead?\n\nReply 'yes' to continue with {city}, or 'no' to be waitlisted for your requested city."
  ],
  waitlisted: [
    "I don't have {city} scheduled yet. I'll add you to the waitlist and let you know when I'm planning to visit!"
  ],
  opt_out_confirmation: [
    "You've been unsubscribed. You won't receive any more automated messages from us.\n\nSend 'START' anytime to resume.",
    "Unsubscribed successfully. You won't get any more automated messages.\n\nType 'START' if you want to resume later.",
    "You're now unsubscribed from automated messages.\n\nSend 'START' whenever you'd like to continue."
  ],
  opt_out_prompt: [
    "You're currently unsubscribed. Send 'START' to resume.",
    "You're unsubscribed. Type 'START' to continue.",
    "Currently unsubscribed. Send 'START' to resume the conversation."
  ],
  handover_client_question: [
    "Thanks for your question! I'm passing this to {artist_name} so you get a proper answer. {artist_name} will get back to you soon.",
    "Good question! I'm handing this over to {artist_name} to answer properly. Expect a reply shortly.",
    "Thanks! I'm passing your question to {artist_name} for a detailed answer. You'll hear back soon."
  ],
  handover_generic: [
    "I've paused the automated flow so {artist_name} can reply directly.\n\nWould you prefer a quick call or chat?\n\nPlease share 2-3 time windows that work for you (and your timezone).",
    "I'm passing this to {artist_name} to respond personally.\n\nDo you prefer a quick call or chat?\n\nPlease share 2-3 time windows that work for you (and your timezone).",
    "I've paused the bot so {artist_name} can handle this directly.\n\nWould you like a quick call or chat?\n\nShare 2-3 time windows that work for you (and your timezone)."
  ],
  handover_coverup: [
    "Thanks for all the details! Cover-ups need a closer look, so I'm passing this to {artist_name}, who will review it and get back to you.",
    "Got it! Cover-ups and reworks need special attention, so I'm handing this over to {artist_name} to assess. Expect a reply soon.",
    "Thank you! As this is a cover-up, I'm passing it to {artist_name} for a proper look. You'll hear back shortly."
  ],
  handover_bridge: [
    "I'm going to have {artist_name} jump in here — one sec.",
    "Let me get {artist_name} involved — you'll get a reply shortly.",
    "I'll have {artist_name} take over from here and be in touch soon."
  ],
  handover_hold: ["I've paused the automated flow. {artist_name} will reply to you directly."],
  refund_ack: [
    "Refunds are handled by {artist_name} — I've passed your message on and you'll get a reply soon.",
    "I've passed your refund question to {artist_name}, who will reply shortly."
  ],
  delete_data_ack: [
    "I've passed your data request to {artist_name}, who will handle it and get back to you.",
    "{artist_name} will handle your data request and be in touch shortly."
  ],
  panic_mode_response: [
    "Thanks — {artist_name} will reply shortly.",
    "Got it! {artist_name} will get back to you soon.",
    "Thanks for your message. {artist_name} will respond shortly."
  ],
  pending_approval: [
    "Thanks! I'm reviewing your request and will get back to you soon.",
    "Thank you! I'm looking over your details and will be in touch soon.",
    "Got it! I'll review everything and get back to you shortly."
  ],
  follow_up_pending: ["Thanks! {artist_name} will reach out to you shortly."],
  tour_accept: [
    "Great! I'll proceed with your booking for {city}. {artist_name} will review and get back to you soon.",
    "Excellent! I'll move forward with your booking for {city}. {artist_name} will take a look and be in touch.",
    "Perfect! I'll set up your booking for {city}. {artist_name} will review everything and get back to you."
  ],
  tour_decline: [
    "I'll add you to the waitlist for {city}. I'll let you know when I'm planning to visit!",
    "No problem! I'll put you on the waitlist for {city} and let you know when I'm heading there.",
    "Got it! You're on the waitlist for {city}. I'll reach out when I'm planning a visit there."
  ],
  tour_prompt: [
    "Please reply 'yes' to book for the tour city, or 'no' to be waitlisted.",
    "Reply 'yes' if you'd like to book for the tour city, or 'no' to join the waitlist.",
    "Type 'yes' to go ahead with the tour city, or 'no' to be waitlisted."
  ],
  tour_waitlisted: [
    "You're on the waitlist. I'll contact you when I'm planning to visit your city!",
    "You're on the waitlist! I'll get in touch when I'm planning a visit to your city.",
    "Waitlist confirmed! I'll reach out when I'm planning to visit your area."
  ],
  approved_no_calendar: [
    "Good news — {artist_name} has approved your enquiry! 🎉 Your deposit link and the next steps will follow shortly.",
    "Great news: your enquiry is approved! 🎉 {artist_name} will send your deposit link and the next steps shortly."
  ],
  rejected: [
    "Thank you for your interest. Unfortunately, {artist_name} isn't able to take on this project at this time.",
    "Thanks so much for getting in touch. Unfortunately, {artist_name} can't take this project on right now."
  ],
  awaiting_deposit: [
    "Thanks! Please check your messages for the deposit link to secure your booking. If you need it resent, let me know!",
    "Thank you! You should have received a deposit link — please use it to secure your booking. Need it again? Just ask!",
    "Great! Check your messages for the deposit payment link. Let me know if you need it sent again."
  ],
  booking_pending: [
    "Thanks for your deposit! {artist_name} will confirm your date in the calendar and message you.",
    "Deposit confirmed! {artist_name} will lock in your date and get in touch.",
    "Perfect! Your deposit is received. {artist_name} will finalise your booking date and message you."
  ],
  booking_confirmed: [
    "🎉 You're booked in! {artist_name} has confirmed your session. See you soon!",
    "All confirmed 🎉 {artist_name} has locked in your session. See you soon!"
  ],
  reminder_qualifying: [
    "👋 Hi! Just checking in - are you still interested in booking a tattoo?\n\nIf so, please reply and we can continue with your consultation. If not, no worries - just let me know!"
  ],
  reminder_qualifying_final: [
    "👋 Hi! This is a final check-in - are you still interested?\n\nIf so, please reply to continue. Otherwise, I'll assume you're not ready right now."
  ],
  deposit_paid: [
    "Thanks for your deposit! {artist_name} will confirm your date and message you shortly.",
    "Deposit received! {artist_name} will be in touch about your date soon."
  ],
  handover_question: [
    "I've paused the automated flow so {artist_name} can reply directly.\n\nDo you prefer a quick chat or a call?\nAnd what's the main thing you'd like to clarify? (1 sentence)",
    "I'm passing this to {artist_name} to answer your question.\n\nDo you prefer a quick chat or a call?\nWhat's the main thing you'd like to know? (Keep it to one sentence)",
    "I've paused the bot so {artist_name} can respond personally.\n\nWould you like a quick chat or a call?\nWhat's the key question you have? (One sentence, please)"
  ],
  handover_question_prompt: [
    "And what's the main thing you'd like to clarify? (1 sentence)",
    "What's the key thing you'd like to know? (Keep it to one sentence)",
    "What's the main question you have? (One sentence, please)"
  ],
  handover_high_complexity: [
    "Thanks! This sounds like a detailed piece. I'm passing it to {artist_name} to review and discuss options with you.",
    "Got it! This seems quite detailed, so I'm handing it over to {artist_name} for review — expect a message soon.",
    "Thank you! This looks like a complex piece. I'm passing it to {artist_name} for review, and you'll hear back soon."
  ],
  continue_prompt: [
    "Great! Let's continue.\n\n{question_text}",
    "Perfect! Moving on.\n\n{question_text}",
    "Excellent! Next question.\n\n{question_text}"
  ],
  error_no_questions: ["Sorry, something went wrong on our side. {artist_name} will get back to you shortly."],
  test: ["Hello {name}!"],
  slot_suggestions_header: [
    "📅 *Available Booking Slots*\n\nHere are some available times ({tz_name}):\n",
    "📅 *Available Slots*\n\nHere are some times that work ({tz_name}):\n",
    "📅 *Booking Options*\n\nHere are some available times ({tz_name}):\n"
  ],
  slot_suggestions_footer: [
    "\nPlease reply with the number or describe which slot works for you.",
    "\nReply with the number or tell me which slot works best.",
    "\nLet me know which slot works by replying with the number or describing it."
  ],
  slot_suggestions_empty: [
    "I'm checking the calendar for available slots. I'll send you some options shortly!",
    "Let me check the calendar for available times. I'll send you options soon!"
  ],
  confirmation_slot: [
    "Got it — slot {slot_number} selected. I'll confirm the details shortly.",
    "Perfect — slot {slot_number} it is. I'll get that confirmed for you.",
    "Great — slot {slot_number} works. I'll lock that in."
  ],
  time_window_follow_up: [
    "Thanks! Could you share 1-2 more preferred time windows? This helps find the best time for you.",
    "Great! Could you add 1-2 more time windows? That makes it easier to find the right slot."
  ],
  payment_confirmation: [
    "✅ *Deposit confirmed!*\n\nThank you! Your deposit of *£{amount_gbp}* has been received.\n\n*Important:* Your deposit is non-refundable. You can reschedule once. No-shows forfeit the deposit.\n\n{artist_name} will confirm your date in the calendar and message you.",
    "✅ *Deposit confirmed!*\n\nPerfect! Your deposit of *£{amount_gbp}* is confirmed.\n\n*Important:* Your deposit is non-refundable. You can reschedule once. No-shows forfeit the deposit.\n\n{artist_name} will confirm your date in the calendar and message you."
  ],
  slot_offer_intro: [
    "📅 *Available times* ({timezone})\n\nHere are the next times {artist_name} can do:",
    "📅 *Booking options* ({timezone})\n\nThese times are free at the moment:"
  ],
  slot_offer_footer: [
    "Reply with a number from 1 to {count}, or tell me which one suits you (e.g. 'Tuesday afternoon').",
    "Which works best? Reply with the number (1-{count}) or describe it, like 'the 2pm one'."
  ],
  slot_clarify: [
    "Just to check — which of these did you mean?\n\n{options}\n\nReply with the number.",
    "A couple of times fit that. Which one?\n\n{options}\n\nJust reply with the number."
  ],
  slot_rejected_reoffer: [
    "Sorry, I couldn't match that to one of the times. Reply with a number from 1 to {count}, or describe the day and time.",
    "I didn't catch which time you meant — reply with a number from 1 to {count}."
  ],
  repair_slot: [
    "Just to make sure I've got it right — which option number do you mean? (1–{count})",
    "Which slot? Reply with a number 1–{count}. One more try then I'll get {artist_name} to help."
  ],
  slot_taken_apology: [
    "Sorry — {slot} has just been taken. Here are the times that are still free:",
    "Ah, {slot} was booked a moment ago, sorry! These times are still open:"
  ],
  slot_held: [
    "Great — {slot} is held for you while you pay the deposit.",
    "Lovely, {slot} is on hold for you until the deposit is paid."
  ],
  time_window_request: [
    "I don't have any available slots in the calendar right now.\n\nCould you share 2-3 preferred day/time windows that work for you? Please include your timezone if it's not UK time.\n\nFor example:\n• Monday afternoon\n• Wednesday morning\n• Friday anytime\n\nI'll work with you to find a time that works!",
    "The calendar is fully booked at the moment, but I'd love to find a time that works for you.\n\nCould you share 2-3 preferred day/time windows? Include your timezone if it's not UK time.\n\nExamples:\n• Monday afternoon\n• Wednesday morning\n• Friday anytime"
  ],
  time_window_follow_up_remaining: [
    "Thanks! Could you share {remaining} more preferred time window(s)? This helps find the best time for you.",
    "Great! Could you add {remaining} more time window(s)? That makes it easier to find the right slot."
  ],
  time_window_collected: [
    "Perfect! I've received {window_count} time windows. {artist_name} will review them and get back to you with options soon.",
    "Great! I've got your {window_count} time windows. {artist_name} will take a look and suggest some options."
  ],
  deposit_link: [
    "💳 *Deposit payment link*\n\nTo secure your session, please pay the deposit of *£{amount_gbp}* using the link below:\n\n{checkout_url}\n\nThe link is valid for a limited time. Thanks! 🙏",
    "💳 *Deposit payment link*\n\nYou can secure your booking by paying the *£{amount_gbp}* deposit here:\n\n{checkout_url}\n\nThe link expires after a while, so best to pay soon. Thank you! 🙏"
  ],
  deposit_received: [
    "✅ *Deposit received!*\n\nThank you — your deposit of *£{amount_gbp}* has been received.\n\n*Important:* Your deposit is non-refundable. You can reschedule once. No-shows forfeit the deposit.\n\n{artist_name} will confirm your date in the calendar and message you.",
    "✅ *Deposit confirmed!*\n\nThanks — *£{amount_gbp}* received.\n\n*Important:* Your deposit is non-refundable. You can reschedule once. No-shows forfeit the deposit.\n\n{artist_name} will confirm your date in the calendar and message you."
  ],
  deposit_expired: [
    "Your deposit link has expired and the time I was holding has been released. Just reply here if you'd still like to book, and I'll send fresh options.",
    "The deposit link has expired, so the held time has been released. Reply if you'd like to pick a new time."
  ]
}
