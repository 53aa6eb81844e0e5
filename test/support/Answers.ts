/** Answers the consultation accepts, one per question in order (13), taking a new client to PENDING_APPROVAL. */
export const CONSULTATION_ANSWERS: ReadonlyArray<string> = [
  "A dragon tattoo on my arm",
  "Upper arm",
  "10x15cm",
  "Realism",
  "2",
  "No",
  "no",
  "500",
  "London",
  "UK",
  "@myhandle",
  "same",
  "Next 2-4 weeks"
]
