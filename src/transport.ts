import type { Deadline } from "./deadline.js";
import {
  AbortError,
  ConnectionRefusedError,
  ConnectionResetError,
  DnsLookupError,
  NetworkError,
  TimeoutError,
  type RequestTarget,
  type TransportError,
} from "./errors.js";

// System error codes that Node's fetch (undici) puts on the `cause` of its "fetch failed" TypeError.
const REFUSED_CODES = new Set(["ECONNREFUSED"]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL"]);
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);

/**
 * Turns what `fetch` (or reading the body) threw into a typed transport error. The deadline
 * distinguishes a timeout from the caller's abort, because both arrive as an abort of the same signal.
 */
export function toTransportError(
  error: unknown,
  target: RequestTarget,
  deadline: Deadline,
  timeout: number | false,
): TransportError {
  if (deadline.timedOut() && timeout !== false) return new TimeoutError(target, timeout, error);
  if (deadline.callerAborted()) return new AbortError(target, error);

  const code = findErrorCode(error);
  if (code !== undefined && REFUSED_CODES.has(code)) return new ConnectionRefusedError(target, error);
  if (code !== undefined && DNS_CODES.has(code)) return new DnsLookupError(target, error);
  if (code !== undefined && RESET_CODES.has(code)) return new ConnectionResetError(target, error);

  // Reading a body whose connection closed early rejects with "terminated" and no code of its own.
  // A "terminated" with another code, such as Z_DATA_ERROR for a corrupt gzip body, is not a reset.
  if (code === undefined && error instanceof TypeError && error.message === "terminated") {
    return new ConnectionResetError(target, error);
  }

  return new NetworkError(target, error);
}

/** Finds a system error code on the error or along its `cause` chain, where undici puts it. */
function findErrorCode(error: unknown): string | undefined {
  let current: unknown = error;

  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;

    current = (current as { cause?: unknown }).cause;
  }

  return undefined;
}
