import createFetchClient, { type Client, type HeadersOptions } from "openapi-fetch";

import type { paths } from "../generated/client-api.js";
import { createAuthMiddleware } from "./auth.js";
import { checkTenantId, checkToken, describeType, type TokenSource } from "./credentials.js";
import { InvalidOptionError } from "./errors.js";
import { DEFAULT_REGION, REGION_BASE_URLS, isRegion, type Region } from "./regions.js";

/**
 * Options of `createClient`. Each one is optional, but every operation of the Client API needs
 * credentials, so a useful client has a `token`, a `tenantId` or both.
 */
export interface ClientOptions {
  /**
   * The region of the Authsignal tenant, which picks the base URL.
   * @default "us"
   */
  region?: Region;

  /**
   * A base URL to use instead of the region's, such as a proxy or a local mock server. It wins over
   * `region`. Trailing slashes are removed.
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
}

/** A typed client for every operation of the Client API: `client.POST("/challenge/email-otp", { body })`. */
export type AuthsignalClient = Client<paths, "application/json">;

/**
 * Creates a client for Authsignal's Client API. It is an openapi-fetch client typed by the
 * generated `paths`, with the region's base URL and an auth middleware already in place.
 *
 * @throws {InvalidOptionError} when an option is invalid; the message names the option and the fix.
 * @example
 * const client = createClient({ region: "eu", token });
 * const { data, error } = await client.POST("/challenge/email-otp", { body: {} });
 */
export function createClient(options: ClientOptions = {}): AuthsignalClient {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError("options", `createClient expects an options object, but it received ${describeType(options)}.`);
  }

  const baseUrl = resolveBaseUrl(options);
  const token = typeof options.token === "string" ? checkToken(options.token, "option") : checkTokenFunction(options.token);
  const tenantId = options.tenantId === undefined ? undefined : checkTenantId(options.tenantId);
  checkHeaders(options.headers);

  const client = createFetchClient<paths, "application/json">({
    baseUrl,
    ...(options.fetch === undefined ? {} : { fetch: checkFetch(options.fetch) }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });

  client.use(createAuthMiddleware({ token, tenantId }));
  return client;
}

function resolveBaseUrl(options: ClientOptions): string {
  const region = options.region ?? DEFAULT_REGION;

  // The region is checked even when `baseUrl` wins, so that a typo does not go unnoticed until the
  // `baseUrl` is removed.
  if (!isRegion(region)) {
    const known = Object.keys(REGION_BASE_URLS).map((name) => `"${name}"`).join(", ");
    throw new InvalidOptionError("region", `The \`region\` option ${JSON.stringify(region)} is not a known region. Use one of ${known}, or pass \`baseUrl\`.`);
  }

  return options.baseUrl === undefined ? REGION_BASE_URLS[region] : checkBaseUrl(options.baseUrl);
}

function checkBaseUrl(baseUrl: unknown): string {
  if (typeof baseUrl !== "string") {
    throw new InvalidOptionError("baseUrl", `The \`baseUrl\` option must be a string, but it is of type ${describeType(baseUrl)}.`);
  }

  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidOptionError("baseUrl", `The \`baseUrl\` option is not an absolute URL. Pass one such as "https://api.authsignal.com/v1/client".`);
  }

  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidOptionError("baseUrl", `The \`baseUrl\` option uses ${url.protocol.slice(0, -1)}, but only http and https are supported.`);
  }

  return baseUrl.replace(/\/+$/, "");
}

function checkTokenFunction(token: unknown): TokenSource | undefined {
  if (token === undefined || typeof token === "function") return token as TokenSource | undefined;

  throw new InvalidOptionError("token", `The \`token\` option must be a string or a function, but it is of type ${describeType(token)}.`);
}

function checkFetch(fetch: unknown): (request: Request) => Promise<Response> {
  if (typeof fetch === "function") return fetch as (request: Request) => Promise<Response>;

  throw new InvalidOptionError("fetch", `The \`fetch\` option must be a function, but it is of type ${describeType(fetch)}.`);
}

function checkHeaders(headers: HeadersOptions | undefined): void {
  if (headers === undefined) return;

  const names = headers instanceof Headers ? [...headers.keys()] : Array.isArray(headers) ? headers.map(([name]) => name) : Object.keys(headers);

  if (names.some((name) => name.toLowerCase() === "authorization")) {
    throw new InvalidOptionError(
      "headers",
      "The `headers` option sets Authorization, which the client chooses per operation. Pass `token` or `tenantId` instead.",
    );
  }
}
