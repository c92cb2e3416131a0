// Type guards for the error classes. They read a brand set in the base class's constructor rather
// than using `instanceof`, so they also work when an app's bundle contains two copies of this package.
import {
  ERROR_KIND,
  TRANSPORT_KINDS,
  type AbortError,
  type ApiError,
  type AuthsignalClientError,
  type ConnectionRefusedError,
  type ConnectionResetError,
  type DnsLookupError,
  type ErrorKind,
  type InvalidOptionError,
  type InvalidResponseError,
  type MissingCredentialsError,
  type NetworkError,
  type TimeoutError,
  type TransportError,
} from "./errors.js";

function hasKind(value: unknown, kinds: readonly ErrorKind[]): boolean {
  if (typeof value !== "object" || value === null) return false;

  const kind = (value as { [ERROR_KIND]?: unknown })[ERROR_KIND];
  return typeof kind === "string" && kinds.includes(kind as ErrorKind);
}

/** Checks whether a value is any error created by this package. */
export function isAuthsignalClientError(value: unknown): value is AuthsignalClientError {
  return hasKind(value, ["invalid-option", "missing-credentials", "api", "invalid-response", ...TRANSPORT_KINDS]);
}

/** Checks whether a value is an `InvalidOptionError`. */
export function isInvalidOptionError(value: unknown): value is InvalidOptionError {
  return hasKind(value, ["invalid-option"]);
}

/** Checks whether a value is a `MissingCredentialsError`. */
export function isMissingCredentialsError(value: unknown): value is MissingCredentialsError {
  return hasKind(value, ["missing-credentials"]);
}

/** Checks whether a value is an `ApiError`, the `error` of a response outside 2xx. */
export function isApiError(value: unknown): value is ApiError {
  return hasKind(value, ["api"]);
}

/** Checks whether a value is an `InvalidResponseError`. */
export function isInvalidResponseError(value: unknown): value is InvalidResponseError {
  return hasKind(value, ["invalid-response"]);
}

/** Checks whether a value is any of the errors for a request that got no response. */
export function isTransportError(value: unknown): value is TransportError {
  return hasKind(value, TRANSPORT_KINDS);
}

/** Checks whether a value is a `ConnectionRefusedError`. */
export function isConnectionRefusedError(value: unknown): value is ConnectionRefusedError {
  return hasKind(value, ["connection-refused"]);
}

/** Checks whether a value is a `ConnectionResetError`. */
export function isConnectionResetError(value: unknown): value is ConnectionResetError {
  return hasKind(value, ["connection-reset"]);
}

/** Checks whether a value is a `DnsLookupError`. */
export function isDnsLookupError(value: unknown): value is DnsLookupError {
  return hasKind(value, ["dns-lookup"]);
}

/** Checks whether a value is a `NetworkError`. */
export function isNetworkError(value: unknown): value is NetworkError {
  return hasKind(value, ["network"]);
}

/** Checks whether a value is this package's `TimeoutError` (not a `DOMException` of that name). */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return hasKind(value, ["timeout"]);
}

/** Checks whether a value is this package's `AbortError` (not a `DOMException` of that name). */
export function isAbortError(value: unknown): value is AbortError {
  return hasKind(value, ["abort"]);
}
