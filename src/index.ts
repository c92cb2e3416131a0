export { createClient } from "./client.js";
export type { AuthsignalClient } from "./client.js";
export type { ClientOptions, TokenExpiredEvent } from "./options.js";
export { DEFAULT_TIMEOUT } from "./options.js";
export type { TokenSource } from "./credentials.js";
export { DEFAULT_RETRY } from "./retry.js";
export type { RetryOptions, RetrySetting } from "./retry.js";
export type { ApiResult, CallOptions, OperationInit, OperationResult } from "./types.js";
export {
  AbortError,
  ApiError,
  AuthsignalClientError,
  ConnectionRefusedError,
  ConnectionResetError,
  DnsLookupError,
  InvalidOptionError,
  InvalidResponseError,
  MissingCredentialsError,
  NetworkError,
  TimeoutError,
  TransportError,
} from "./errors.js";
export {
  isAbortError,
  isApiError,
  isAuthsignalClientError,
  isConnectionRefusedError,
  isConnectionResetError,
  isDnsLookupError,
  isInvalidOptionError,
  isInvalidResponseError,
  isMissingCredentialsError,
  isNetworkError,
  isTimeoutError,
  isTransportError,
} from "./error-guards.js";
export { REGION_BASE_URLS } from "./regions.js";
export type { Region } from "./regions.js";
export type { components, operations, paths } from "../generated/client-api.js";
