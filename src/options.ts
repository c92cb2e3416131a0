import type { HeadersOptions } from "openapi-fetch";

import { checkTenantId, checkTokenSource, describeType, type TokenSource } from "./credentials.js";
import { InvalidOptionError, type ApiError } from "./errors.js";
import { DEFAULT_REGION, REGION_BASE_URLS, isRegion, type Region } from "./regions.js";
import { applyRetrySetting, DEFAULT_RETRY, type RetryPolicy, type RetrySetting } from "./retry.js";

/**
 * Default timeout of one request in milliseconds. Client API calls sit in an interactive sign-in
 * or enrollment flow, where a user waiting longer than this is better served by an error that the
 * app can offer to retry.
 */
export const DEFAULT_TIMEOUT = 10_000;

// The largest delay that `setTimeout` accepts; a larger one fires at once.
const MAX_TIMEOUT = 2_147_483_647;

/** The event passed to `onTokenExpired`. */
export interface TokenExpiredEvent {
  /** The operation that failed, such as `"POST /verify/sms"`. */
  operation: string;
  /** The error returned to the caller, with `errorCode` `"expired_token"`. */
  error: ApiError;
}

/** Options of `createClient`. Every operation needs credentials, so a useful client has a `token`, a `tenantId` or both. */
export interface ClientOptions {
  /**
   * The region of the Authsignal tenant, which picks the base URL.
   * @default "us"
   */
  region?: Region;

  /**
   * A base URL to use instead of the region's, such as a proxy or a local mock server. It wins over
   * `region`. It must use https, except for loopback hosts (`localhost`, `127.0.0.1`, `[::1]`),
   * and may not contain credentials, a query or a fragment. Trailing slashes are removed.
   * @example "http://127.0.0.1:4010"
   */
  baseUrl?: string;

  /**
   * The bearer token from the Server API's track action call, or a function that returns it (or a
   * promise of it) and is called before every request. A function returns `undefined` when no
   * token is available, and the client then uses `tenantId` where the operation allows it.
   */
  token?: TokenSource;

  /**
   * The tenant ID, sent as Basic auth (`tenantId:` in base64) on the operations whose spec accepts
   * tenant auth, such as passkey sign-in, when no token is available.
   */
  tenantId?: string;

  /** A `fetch` implementation to use instead of `globalThis.fetch`, for tests or older runtimes. */
  fetch?: (request: Request) => Promise<Response>;

  /** Headers added to every request. `Authorization` is not allowed here: use `token` or `tenantId`. */
  headers?: HeadersOptions;

  /**
   * Timeout of each request in milliseconds, from sending it to reading the whole body, or `false`
   * for none. Each retry gets a new timeout.
   * @default 10000
   */
  timeout?: number | false;

  /**
   * Retry policy. By default only GET, HEAD and OPTIONS requests are retried, up to twice, on a
   * transport failure or a 408, 429, 500, 502, 503 or 504 response. `false` turns retries off.
   */
  retry?: RetrySetting;

  /**
   * Called once for each call whose response reports `expired_token`, whatever its status, before
   * the call returns its error. The call waits for a returned promise, and an exception thrown
   * here rejects the call.
   */
  onTokenExpired?: (event: TokenExpiredEvent) => void | Promise<void>;
}

/** Client options after checking, with defaults filled in. */
export interface ResolvedOptions {
  baseUrl: string;
  token: TokenSource | undefined;
  tenantId: string | undefined;
  fetch: ((request: Request) => Promise<Response>) | undefined;
  headers: HeadersOptions | undefined;
  timeout: number | false;
  retry: RetryPolicy;
  onTokenExpired: ClientOptions["onTokenExpired"];
}

/** Checks every option and fills in defaults. Throws `InvalidOptionError` naming the first bad option. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError(
      "options",
      `createClient expects an options object, but it received ${describeType(options)}.`,
    );
  }

  checkHeaders(options.headers, "headers");

  return {
    baseUrl: resolveBaseUrl(options),
    token: checkTokenSource(options.token, "token"),
    tenantId: options.tenantId === undefined ? undefined : checkTenantId(options.tenantId),
    fetch: checkFunction(options.fetch, "fetch"),
    headers: options.headers,
    timeout: checkTimeout(options.timeout, DEFAULT_TIMEOUT, "timeout"),
    retry: applyRetrySetting(DEFAULT_RETRY, options.retry, "retry"),
    onTokenExpired: checkFunction(options.onTokenExpired, "onTokenExpired"),
  };
}

function resolveBaseUrl(options: ClientOptions): string {
  const region = options.region ?? DEFAULT_REGION;

  // The region is checked even when `baseUrl` wins, so that a typo does not go unnoticed until the
  // `baseUrl` is removed.
  if (!isRegion(region)) {
    const known = Object.keys(REGION_BASE_URLS)
      .map((name) => `"${name}"`)
      .join(", ");
    throw new InvalidOptionError(
      "region",
      `The \`region\` option ${JSON.stringify(region)} is not a known region. Use one of ${known}, or pass \`baseUrl\`.`,
    );
  }

  return options.baseUrl === undefined ? REGION_BASE_URLS[region] : checkBaseUrl(options.baseUrl);
}

/**
 * Checks a base URL. The URL itself stays out of every message, because a rejected one may carry
 * a password.
 */
function checkBaseUrl(baseUrl: unknown): string {
  if (typeof baseUrl !== "string") {
    throw new InvalidOptionError(
      "baseUrl",
      `The \`baseUrl\` option must be a string, but it is of type ${describeType(baseUrl)}.`,
    );
  }

  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidOptionError(
      "baseUrl",
      `The \`baseUrl\` option is not an absolute URL. Pass one such as "https://api.authsignal.com/v1/client".`,
    );
  }

  if (!baseUrl.includes("://")) {
    throw new InvalidOptionError(
      "baseUrl",
      'The `baseUrl` option has no scheme, such as in "localhost:4010". Start it with https://, or http:// for a loopback mock.',
    );
  }

  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new InvalidOptionError(
      "baseUrl",
      `The \`baseUrl\` option uses ${url.protocol.slice(0, -1)}, but credentials are only sent over https. ` +
        "Use an https URL; plain http is allowed only for loopback hosts (localhost, 127.0.0.0/8 and [::1]), for local mocks.",
    );
  }

  if (url.username !== "" || url.password !== "") {
    throw new InvalidOptionError(
      "baseUrl",
      "The `baseUrl` option contains a user name or password. Remove them: the client sends its own credentials.",
    );
  }

  if (url.search !== "" || url.hash !== "" || baseUrl.includes("?") || baseUrl.includes("#")) {
    throw new InvalidOptionError(
      "baseUrl",
      'The `baseUrl` option contains a query or a fragment. Pass only the scheme, host and path, such as "https://proxy.example.com/authsignal".',
    );
  }

  return baseUrl.replace(/\/+$/, "");
}

/** Checks whether a URL host name is a loopback address, where plain http cannot leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Checks a timeout option: `false`, or a whole number of milliseconds from 1 to 2^31 - 1. */
export function checkTimeout(timeout: unknown, fallback: number | false, option: string): number | false {
  if (timeout === undefined) return fallback;
  if (timeout === false) return false;
  if (typeof timeout === "number" && Number.isInteger(timeout) && timeout >= 1 && timeout <= MAX_TIMEOUT)
    return timeout;

  throw new InvalidOptionError(
    option,
    `The \`${option}\` option must be false or a whole number of milliseconds from 1 to ${MAX_TIMEOUT}, but it is ${String(timeout)}.`,
  );
}

/** Rejects headers that set Authorization, which the client chooses per operation. */
export function checkHeaders(headers: unknown, option: string): void {
  if (headers === undefined) return;

  if (typeof headers !== "object" || headers === null) {
    throw new InvalidOptionError(
      option,
      `The \`${option}\` option must be a headers object, but it is of type ${describeType(headers)}.`,
    );
  }

  const names =
    headers instanceof Headers
      ? [...headers.keys()]
      : Array.isArray(headers)
        ? headers.map(([name]) => String(name))
        : Object.keys(headers);

  if (names.some((name) => name.toLowerCase() === "authorization")) {
    throw new InvalidOptionError(
      option,
      `The \`${option}\` option sets Authorization, which the client chooses per operation. Pass \`token\` or \`tenantId\` instead.`,
    );
  }
}

function checkFunction<Callback>(value: Callback | undefined, option: string): Callback | undefined {
  if (value === undefined || typeof value === "function") return value;

  throw new InvalidOptionError(
    option,
    `The \`${option}\` option must be a function, but it is of type ${describeType(value)}.`,
  );
}
