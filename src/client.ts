import createOpenApiClient from "openapi-fetch";

import { checkTokenSource, type TokenSource } from "./credentials.js";
import { resolveOptions, type ClientOptions } from "./options.js";
import { sendCall, type ClientState } from "./request.js";
import type { ClientMethod, HttpMethod } from "./types.js";

/**
 * A typed client for every operation of the Client API. Each method takes a path of the spec and
 * its `params` and `body`, and resolves to `{ data, error, response }`:
 *
 * - a 2xx gives `data`, the parsed body, or `undefined` for an empty body or a 204;
 * - any other status gives `error`, an `ApiError` with `status`, `errorCode`, `errorDescription`,
 *   the parsed `body`, or `rawBody` when the body is not JSON.
 *
 * A call rejects instead when no usable response arrived: `InvalidResponseError` for a 2xx body
 * that is not JSON, a `TransportError` subclass (`TimeoutError`, `AbortError`,
 * `ConnectionRefusedError`, `ConnectionResetError`, `DnsLookupError`, `NetworkError`) when the
 * request failed, and `InvalidOptionError` or `MissingCredentialsError` before anything is sent.
 */
export interface AuthsignalClient {
  GET: ClientMethod<"get">;
  POST: ClientMethod<"post">;
  // The Client API has only GET and POST operations today. These three accept no path until the
  // upstream spec adds an operation with their method, so that a spec update needs no client change.
  PUT: ClientMethod<"put">;
  PATCH: ClientMethod<"patch">;
  DELETE: ClientMethod<"delete">;

  /**
   * Replaces the client's `token` for the calls that follow, such as with the `accessToken` of a
   * verify response. `undefined` removes it. The client never adopts a token by itself.
   * @example if (data?.accessToken) client.setToken(data.accessToken);
   */
  setToken(token: TokenSource | undefined): void;
}

/**
 * Creates a client for Authsignal's Client API: openapi-fetch typed by the generated `paths`, with
 * the region's base URL, an Authorization header chosen per operation, timeouts, retries of safe
 * requests, and typed errors.
 *
 * @throws {InvalidOptionError} when an option is invalid; the message names the option and the fix.
 * @example
 * const client = createClient({ region: "eu", token });
 * const { data, error } = await client.POST("/challenge/email-otp", { body: {} });
 */
export function createClient(options: ClientOptions = {}): AuthsignalClient {
  const resolved = resolveOptions(options);

  const openApiClient = createOpenApiClient<Record<string, never>>({
    baseUrl: resolved.baseUrl,
    // A redirect could carry the Authorization header to another origin, and this API has no
    // reason to redirect, so a 3xx response is returned as an error instead of followed.
    redirect: "manual",
    ...(resolved.fetch === undefined ? {} : { fetch: resolved.fetch }),
    ...(resolved.headers === undefined ? {} : { headers: resolved.headers }),
  });

  const state: ClientState = { options: resolved, openApiClient };
  const method = (name: Uppercase<HttpMethod>) =>
    ((path: string, init?: object) => sendCall(state, name, path, init)) as never;

  return {
    GET: method("GET"),
    POST: method("POST"),
    PUT: method("PUT"),
    PATCH: method("PATCH"),
    DELETE: method("DELETE"),

    setToken(token) {
      state.options = { ...state.options, token: checkTokenSource(token, "token") };
    },
  };
}
