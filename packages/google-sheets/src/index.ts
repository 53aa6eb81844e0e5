export {
  GoogleSheetsAuthFailed,
  type GoogleSheetsError,
  GoogleSheetsRequestRejected,
  GoogleSheetsUnavailable,
  LeadSheet,
  type LeadSheetOptions,
  type LeadSheetService,
  layer,
  layerConfig,
  make,
  SHEETS_SCOPE,
  type UpsertResult
} from "./LeadSheet.js"
export { LeadRow, SHEET_COLUMNS, type SheetCell, type SheetColumn, toSheetRow } from "./LeadRow.js"
export { GoogleCredentialsInvalid, type GoogleRetryOptions } from "@tattoo-bot/google-auth"
