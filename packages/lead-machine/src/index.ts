/**
 * The pure lead state machine of the tattoo booking bot: statuses, events, the transition table and
 * one exhaustive `transition` function that returns the next lead and its side effects as data.
 *
 * @since 0.1.0
 */
export {
  ArtistNotificationKind,
  Command,
  type CommandOf,
  type CommandTag,
  ConfirmCalendarEvent,
  CreateCalendarHold,
  CreateCheckout,
  DeleteCalendarEvent,
  EventLevel,
  ExpireCheckout,
  FindSlots,
  FlagForArtist,
  FlagReason,
  HoldSlot,
  JsonScalar,
  NotifyArtist,
  OfferSlots,
  RecordEvent,
  ReleaseHold,
  RequestTimeWindows,
  ResumeConsultation,
  SendCopy,
  UpsertSheetRow
} from "./Command.js"
export { CATALOGUE_COPY_KEYS, CopyKey, MACHINE_COPY_KEYS, TemplateName } from "./Copy.js"
export { InvalidTransition } from "./InvalidTransition.js"
export { Lead, newLead, Slot } from "./Lead.js"
export { type MermaidOptions, toMermaid } from "./LeadDiagram.js"
export {
  ConsultationOutcome,
  EVENT_ACTIONS,
  LEAD_EVENT_TAGS,
  LeadEvent,
  type LeadEventOf,
  type LeadEventTag,
  ReminderKind
} from "./LeadEvent.js"
export { chooseLeadForInbound, type InboundLeadChoice, type LeadRef } from "./LeadLookup.js"
export { type Transition, transition } from "./LeadMachine.js"
export {
  categoryOf,
  isActive,
  isDormant,
  isTerminal,
  LEAD_STATUSES,
  LeadStatus,
  type LeadStatusCategory,
  statusesIn
} from "./LeadStatus.js"
export { GUARDS, TRANSITIONS, type TransitionRule } from "./TransitionTable.js"
