import { InvalidOptionError } from "./errors.js";

/**
 * When and how often a request is sent again. Every field is optional and falls back to the
 * client's policy, which falls back to `DEFAULT_RETRY`.
 */
export interface RetryOptions {
  /** Maximum number of retries after the first attempt. `0` disables retries. */
  limit?: number;
  /**
   * HTTP methods that may be retried, in upper case. Only safe methods by default: every POST of
   * the Client API starts a challenge, enrolls or verifies, and sending one twice could send a
   * second OTP or use up an attempt.
   */
  methods?: readonly string[];
  /** Response statuses that are retried, besides transport failures such as a refused connection or a timeout. */
  statusCodes?: readonly number[];
  /** Upper bound of the first retry's delay in milliseconds. Each retry doubles it, and the delay is drawn at random below it. */
  baseDelay?: number;
  /** Upper bound of any one delay in milliseconds. */
  maxDelay?: number;
  /** Longest `Retry-After` in milliseconds that is waited for. A response asking for longer is returned without a retry. */
  maxRetryAfter?: number;
}

/** A retry setting: `false` turns retries off, and an object changes some of the policy's fields. */
export type RetrySetting = false | RetryOptions;

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = {
  limit: 2,
  methods: ["GET", "HEAD", "OPTIONS"],
  statusCodes: [408, 429, 500, 502, 503, 504],
  baseDelay: 300,
  maxDelay: 5_000,
  maxRetryAfter: 30_000,
};

const NO_RETRY: RetryPolicy = { ...DEFAULT_RETRY, limit: 0 };

/** Applies a retry setting to a policy, checking each field. `option` names the setting in errors. */
export function applyRetrySetting(policy: RetryPolicy, setting: RetrySetting | undefined, option: string): RetryPolicy {
  if (setting === undefined) return policy;
  if (setting === false) return NO_RETRY;

  if (typeof setting !== "object" || setting === null) {
    throw new InvalidOptionError(
      option,
      `The \`${option}\` option must be false or an object, but it is ${String(setting)}.`,
    );
  }

  return {
    limit: checkCount(setting.limit, policy.limit, `${option}.limit`),
    methods: setting.methods === undefined ? policy.methods : checkMethods(setting.methods, `${option}.methods`),
    statusCodes:
      setting.statusCodes === undefined
        ? policy.statusCodes
        : checkStatuses(setting.statusCodes, `${option}.statusCodes`),
    baseDelay: checkCount(setting.baseDelay, policy.baseDelay, `${option}.baseDelay`),
    maxDelay: checkCount(setting.maxDelay, policy.maxDelay, `${option}.maxDelay`),
    maxRetryAfter: checkCount(setting.maxRetryAfter, policy.maxRetryAfter, `${option}.maxRetryAfter`),
  };
}

/** Whether the policy allows retrying this method at all. */
export function canRetryMethod(policy: RetryPolicy, method: string): boolean {
  return policy.limit > 0 && policy.methods.includes(method);
}

/**
 * Returns how long to wait before retry number `retryIndex` (0 for the first retry) after a
 * response, or `undefined` when the response must not be retried. A `Retry-After` header wins
 * over the backoff.
 */
export function delayAfterResponse(policy: RetryPolicy, retryIndex: number, response: Response): number | undefined {
  if (!policy.statusCodes.includes(response.status)) return undefined;

  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  if (retryAfter === undefined) return backoffDelay(policy, retryIndex);

  return retryAfter <= policy.maxRetryAfter ? retryAfter : undefined;
}

/** Exponential backoff with full jitter: a random delay below `baseDelay * 2^retryIndex`, capped at `maxDelay`. */
export function backoffDelay(policy: RetryPolicy, retryIndex: number): number {
  const ceiling = Math.min(policy.maxDelay, policy.baseDelay * 2 ** retryIndex);
  return Math.floor(Math.random() * ceiling);
}

/** Reads `Retry-After` as delay-seconds or an HTTP date (RFC 9110, section 10.2.3), in milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;

  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;

  // An HTTP date names its weekday and month, which also keeps Date.parse from reading "-1" as a year.
  const date = /[A-Za-z]/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;

  return Math.max(0, date - now);
}

function checkCount(value: unknown, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;

  throw new InvalidOptionError(
    option,
    `The \`${option}\` option must be a whole number of 0 or more, but it is ${String(value)}.`,
  );
}

function checkMethods(methods: unknown, option: string): readonly string[] {
  if (
    Array.isArray(methods) &&
    methods.every((method) => typeof method === "string" && method === method.toUpperCase())
  ) {
    return methods as string[];
  }

  throw new InvalidOptionError(
    option,
    `The \`${option}\` option must be an array of upper-case HTTP methods, such as ["GET"].`,
  );
}

function checkStatuses(statuses: unknown, option: string): readonly number[] {
  if (
    Array.isArray(statuses) &&
    statuses.every((status) => Number.isInteger(status) && status >= 300 && status <= 599)
  ) {
    return statuses as number[];
  }

  throw new InvalidOptionError(
    option,
    `The \`${option}\` option must be an array of HTTP statuses from 300 to 599, such as [429, 503]: a 2xx response is never retried.`,
  );
}
