import { InvalidOptionError } from "./errors.js";

/**
 * The source of the bearer token: a fixed string, or a function called before every
 * request, so that a token refreshed elsewhere in the app is picked up. The function returns
 * `undefined` or `null` when no token is available yet. The client then falls back to tenant auth
 * on the operations that accept it.
 */
export type TokenSource = string | (() => MaybeToken | Promise<MaybeToken>);

type MaybeToken = string | undefined | null;

// Visible ASCII only. A token or tenant ID with a space, a line break or another control character
// would corrupt the Authorization header, and is a copy-and-paste mistake rather than a real token.
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * Checks a token option (a string, a function or undefined) and returns it. `option` names it in
 * errors, such as `"token"` for the client option. A string is checked now, a function's result
 * on each request.
 */
export function checkTokenSource(source: unknown, option: string): TokenSource | undefined {
  if (source === undefined || typeof source === "function") return source as TokenSource | undefined;
  if (typeof source === "string") return checkToken(source, `The \`${option}\` option`, option);

  throw new InvalidOptionError(
    option,
    `The \`${option}\` option must be a string or a function, but it is of type ${describeType(source)}.`,
  );
}

/** Checks a token and returns it. `subject` starts the message; the value itself never appears, because it is a secret. */
function checkToken(token: unknown, subject: string, option: string): string {
  if (typeof token !== "string") {
    throw new InvalidOptionError(option, `${subject} must be a string, but it is of type ${describeType(token)}.`);
  }

  if (token.length === 0) {
    throw new InvalidOptionError(
      option,
      `${subject} is empty. Pass the token from the Server API's track action call, or no token when there is none.`,
    );
  }

  if (!VISIBLE_ASCII.test(token)) {
    throw new InvalidOptionError(
      option,
      `${subject} contains whitespace, a control character or a non-ASCII character. Pass the token exactly as the Server API returned it, without "Bearer " or a line break.`,
    );
  }

  return token;
}

/** Checks a tenant ID and returns it. */
export function checkTenantId(tenantId: unknown): string {
  if (typeof tenantId !== "string") {
    throw new InvalidOptionError(
      "tenantId",
      `The \`tenantId\` option must be a string, but it is of type ${describeType(tenantId)}.`,
    );
  }

  if (tenantId.length === 0) {
    throw new InvalidOptionError(
      "tenantId",
      "The `tenantId` option is empty. Pass the tenant ID from the Authsignal Portal, or leave the option out.",
    );
  }

  // Basic auth separates the user name from the password with a colon, so the ID cannot contain one.
  if (!VISIBLE_ASCII.test(tenantId) || tenantId.includes(":")) {
    throw new InvalidOptionError(
      "tenantId",
      "The `tenantId` option contains whitespace, a colon, a control character or a non-ASCII character. Pass the tenant ID exactly as the Authsignal Portal shows it.",
    );
  }

  return tenantId;
}

/** Calls the token source and returns the token, or undefined when none is available. */
export async function resolveToken(source: TokenSource | undefined, option: string): Promise<string | undefined> {
  if (typeof source !== "function") return source;

  const token = await source();
  if (token === undefined || token === null) return undefined;

  return checkToken(token, `The value returned by the \`${option}\` function`, option);
}

/** Builds the tenant Basic credentials: base64 of `tenantId:`, the user name with an empty password. */
export function encodeTenantCredentials(tenantId: string): string {
  return encodeBase64(`${tenantId}:`);
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * Encodes an ASCII string as padded base64. Written out rather than calling `btoa`, which older
 * React Native engines lack, and `Buffer`, which browsers and edge workers lack.
 */
export function encodeBase64(ascii: string): string {
  let output = "";

  for (let index = 0; index < ascii.length; index += 3) {
    const byteCount = Math.min(3, ascii.length - index);
    const bits =
      (ascii.charCodeAt(index) << 16) | ((ascii.charCodeAt(index + 1) || 0) << 8) | (ascii.charCodeAt(index + 2) || 0);

    for (let position = 0; position < 4; position += 1) {
      const sextet = (bits >> (18 - 6 * position)) & 0x3f;
      output += position <= byteCount ? BASE64_ALPHABET[sextet] : "=";
    }
  }

  return output;
}

export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}
