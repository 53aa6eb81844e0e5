export { MAX_REPLY_LENGTH, type ParseSlotReplyOptions, parseSlotReply } from "./SlotParser.js"
export {
  AMBIGUITY_REASONS,
  AmbiguityReason,
  Ambiguous,
  MATCHED_BY,
  Matched,
  MatchedBy,
  OfferedSlot,
  REJECT_REASONS,
  Rejected,
  RejectReason,
  SlotParseInput,
  SlotParseOptions,
  SlotParseResult
} from "./SlotParseResult.js"
