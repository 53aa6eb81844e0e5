export { GoogleCredentialsInvalid, loadServiceAccount, ServiceAccount } from "./ServiceAccount.js"
export { GOOGLE_TOKEN_URL, googleFetch, type JwtClientOptions, makeJwtClient, tokenUrlFor } from "./JwtClient.js"
export { gaxiosRetryConfig, type GoogleRetryOptions, type RetryPolicy, retryDelayMillis, retryPolicy } from "./RetryPolicy.js"
export { classifyGoogleError, type GoogleApiFailure } from "./GoogleApiFailure.js"
