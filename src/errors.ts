/**
 * Every error class of the package. Which ones are thrown and which are returned:
 *
 * - `ApiError` is returned as `error` when the server responds with a status outside 2xx. It is
 *   never thrown by the client, but it is an `Error`, so a caller may throw it.
 * - Everything else is thrown (the call's promise rejects): bad options, missing credentials,
 *   a 2xx body that is not JSON, and transport failures, where no response arrived at all.
 *
 * The client writes no token, tenant ID or `Authorization` value into these errors. Two things
 * pass through unchanged: what the server sent (an `ApiError`'s body and `errorDescription`), and
 * an error thrown by a custom `fetch`, which becomes a transport error's `cause`.
 */

/** A brand that survives two copies of this package in one bundle, where `instanceof` fails. */
export const ERROR_KIND = Symbol.for("authsignal-client-api.error-kind");

export type ErrorKind =
  | "invalid-option"
  | "missing-credentials"
  | "api"
  | "invalid-response"
  | "connection-refused"
  | "connection-reset"
  | "dns-lookup"
  | "network"
  | "timeout"
  | "abort";

export const TRANSPORT_KINDS: readonly ErrorKind[] = [
  "connection-refused",
  "connection-reset",
  "dns-lookup",
  "network",
  "timeout",
  "abort",
];

/** Base class of every error this package creates, so that one `instanceof` or `isAuthsignalClientError` catches them all. */
export class AuthsignalClientError extends Error {
  override name = "AuthsignalClientError";

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, ERROR_KIND, { value: kind, enumerable: false });
  }
}

/**
 * Thrown when an option of `createClient`, `setToken` or a call is invalid, or when the `token`
 * function returns an invalid value. The message names the option and the fix.
 */
export class InvalidOptionError extends AuthsignalClientError {
  override name = "InvalidOptionError";

  /** The option that failed, such as `"region"` or `"token"`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super("invalid-option", message);
    this.option = option;
  }
}

/**
 * Thrown, before anything is sent, when a request needs credentials that the client does not have:
 * no token for an operation that requires one, or neither a token nor a tenant ID for an operation
 * that accepts either.
 */
export class MissingCredentialsError extends AuthsignalClientError {
  override name = "MissingCredentialsError";

  /** The operation, such as `"POST /challenge/email-otp"`. */
  readonly operation: string;

  /** The options that would have made the request possible, such as `["token", "tenantId"]`. */
  readonly missingOptions: readonly string[];

  constructor(operation: string, missingOptions: readonly string[], message: string) {
    super("missing-credentials", message);
    this.operation = operation;
    this.missingOptions = missingOptions;
  }
}

/** The method and URL of a request, which errors carry. URLs of this API contain no secrets. */
export interface RequestTarget {
  method: string;
  url: string;
}

/**
 * The `error` of a call whose response status is outside 2xx, including 3xx, because the client
 * does not follow redirects. Returned, not thrown.
 *
 * `errorCode` and `errorDescription` are read from the body when it is a JSON object that has them.
 * `rawBody` is the body's text when it is not JSON, such as a proxy's HTML page, and `""` for an
 * empty body.
 */
export class ApiError<Body = unknown> extends AuthsignalClientError {
  override name = "ApiError";

  /** HTTP status, such as 401. `0` for a redirect that a browser reports as an opaque response. */
  readonly status: number;
  readonly method: string;
  readonly url: string;
  /** The server's error code, such as `"expired_token"` or `"too_many_requests"`. */
  readonly errorCode: string | undefined;
  readonly errorDescription: string | undefined;
  /** The parsed JSON body, when the body is JSON. */
  readonly body: Body | undefined;
  /** The body's text when it is not JSON: an HTML page, plain text, a cut-off document, or `""`. */
  readonly rawBody: string | undefined;

  constructor(
    target: RequestTarget,
    details: { status: number; body: Body | undefined; rawBody: string | undefined; message: string },
  ) {
    super("api", details.message);
    this.status = details.status;
    this.method = target.method;
    this.url = target.url;
    this.body = details.body;
    this.rawBody = details.rawBody;

    const fields = readErrorFields(details.body);
    this.errorCode = fields.errorCode;
    this.errorDescription = fields.errorDescription;
  }
}

/** Reads the string fields of an error body, ignoring any that are missing or not strings. */
export function readErrorFields(body: unknown): {
  error: string | undefined;
  errorCode: string | undefined;
  errorDescription: string | undefined;
} {
  if (typeof body !== "object" || body === null)
    return { error: undefined, errorCode: undefined, errorDescription: undefined };

  const fields = body as Record<string, unknown>;
  const read = (name: string) => (typeof fields[name] === "string" ? (fields[name] as string) : undefined);

  return { error: read("error"), errorCode: read("errorCode"), errorDescription: read("errorDescription") };
}

/**
 * Thrown when a 2xx response has a body that is not valid JSON, such as an HTML page or a
 * document cut short. The body itself is left out, because a success body can carry a new token.
 */
export class InvalidResponseError extends AuthsignalClientError {
  override name = "InvalidResponseError";
  readonly status: number;
  readonly method: string;
  readonly url: string;
  /** The response's `Content-Type`, or `undefined` when it has none. */
  readonly contentType: string | undefined;

  // No `cause`: the parser's own error quotes the text around the fault, which could be part of a token.
  constructor(target: RequestTarget, status: number, contentType: string | undefined) {
    const type = contentType === undefined ? "no Content-Type" : `Content-Type ${contentType}`;
    super(
      "invalid-response",
      `${target.method} ${target.url} returned HTTP ${status} with a body that is not valid JSON (${type}).`,
    );
    this.status = status;
    this.method = target.method;
    this.url = target.url;
    this.contentType = contentType;
  }
}

/**
 * Base class of the errors thrown when no response arrived: the connection failed, the request
 * timed out, or the caller aborted it. `cause` is the runtime's own error.
 */
export class TransportError extends AuthsignalClientError {
  override name = "TransportError";
  readonly method: string;
  readonly url: string;

  constructor(kind: ErrorKind, target: RequestTarget, reason: string, cause: unknown) {
    super(kind, `${target.method} ${target.url} failed: ${reason}.`, { cause });
    this.method = target.method;
    this.url = target.url;
  }
}

/** Thrown when the server refused the connection: nothing listens on that host and port. */
export class ConnectionRefusedError extends TransportError {
  override name = "ConnectionRefusedError";

  constructor(target: RequestTarget, cause: unknown) {
    super("connection-refused", target, "the connection was refused", cause);
  }
}

/** Thrown when the connection closed before the whole response arrived, including mid-body. */
export class ConnectionResetError extends TransportError {
  override name = "ConnectionResetError";

  constructor(target: RequestTarget, cause: unknown) {
    super("connection-reset", target, "the connection was closed before the response was complete", cause);
  }
}

/** Thrown when the host name could not be resolved. */
export class DnsLookupError extends TransportError {
  override name = "DnsLookupError";

  constructor(target: RequestTarget, cause: unknown) {
    super("dns-lookup", target, "the host name could not be resolved", cause);
  }
}

/**
 * Thrown for a network failure that the runtime does not describe further. Browsers report every
 * network failure this way ("Failed to fetch"), so there this is the only transport error besides
 * timeouts and aborts.
 */
export class NetworkError extends TransportError {
  override name = "NetworkError";

  constructor(target: RequestTarget, cause: unknown) {
    super("network", target, "a network error occurred", cause);
  }
}

/** Thrown when a request did not complete within its timeout. */
export class TimeoutError extends TransportError {
  override name = "TimeoutError";
  /** The timeout that expired, in milliseconds. */
  readonly timeout: number;

  constructor(target: RequestTarget, timeout: number, cause: unknown) {
    super("timeout", target, `no complete response within ${timeout} ms`, cause);
    this.timeout = timeout;
  }
}

/** Thrown when the caller's `AbortSignal` aborted the request. `cause` is the signal's reason. */
export class AbortError extends TransportError {
  override name = "AbortError";

  constructor(target: RequestTarget, cause: unknown) {
    super("abort", target, "the request was aborted by its signal", cause);
  }
}
