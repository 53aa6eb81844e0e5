import * as Duration from "effect/Duration"

/** How often and how patiently the Google adapters retry 429, 5xx and network failures. */
export interface GoogleRetryOptions {
  /** Retries after the first attempt (default 3, so 4 attempts). 0 turns retries off. */
  readonly times?: number | undefined
  /** Delay before the first retry; doubles on each further retry (default 250 millis). */
  readonly baseDelay?: Duration.DurationInput | undefined
  /** Upper bound for one delay (default 8 seconds). */
  readonly maxDelay?: Duration.DurationInput | undefined
}

/** The retry settings with defaults applied. */
export interface RetryPolicy {
  readonly times: number
  readonly baseDelayMillis: number
  readonly maxDelayMillis: number
}

/** Applies the defaults to `GoogleRetryOptions`. */
export const retryPolicy = (options: GoogleRetryOptions | undefined): RetryPolicy => ({
  times: Math.max(0, Math.floor(options?.times ?? 3)),
  baseDelayMillis: Duration.toMillis(options?.baseDelay ?? "250 millis"),
  maxDelayMillis: Duration.toMillis(options?.maxDelay ?? "8 seconds")
})

/**
 * The delay before retry number `attempt` (1-based): exponential with "equal jitter", so that many
 * clients failing together do not retry in lockstep, but a retry never comes sooner than half the step.
 */
export const retryDelayMillis = (policy: RetryPolicy, attempt: number, random: number = Math.random()): number => {
  const step = Math.min(policy.maxDelayMillis, policy.baseDelayMillis * 2 ** Math.max(0, attempt - 1))
  return step / 2 + (step / 2) * random
}

/** The gaxios `retryConfig` for a policy: retries 408/429/5xx and lost responses for `methods`. */
export const gaxiosRetryConfig = (
  policy: RetryPolicy,
  methods: ReadonlyArray<string> = ["GET", "HEAD", "PUT", "OPTIONS", "DELETE", "POST", "PATCH"]
) => ({
  retry: policy.times,
  noResponseRetries: policy.times,
  httpMethodsToRetry: [...methods],
  statusCodesToRetry: [
    [408, 408],
    [429, 429],
    [500, 599]
  ],
  // gaxios' own delays are fixed at 100 ms, 500 ms, 1.5 s...; this makes the policy's backoff apply.
  retryBackoff: (error: { readonly config: { readonly retryConfig?: { readonly currentRetryAttempt?: number } } }) =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, retryDelayMillis(policy, error.config.retryConfig?.currentRetryAttempt ?? 1))
    })
})
