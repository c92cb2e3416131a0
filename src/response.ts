import { ApiError, InvalidResponseError, readErrorFields, type RequestTarget } from "./errors.js";

/** openapi-fetch's result for a request whose body it was asked to parse as text. */
export interface RawResult {
  data?: string;
  error?: unknown;
  response: Response;
}

/**
 * Parses a 2xx body. An empty body (a 204, or a 200 without content) gives `undefined`; a body
 * that is not JSON throws `InvalidResponseError` rather than a bare `SyntaxError`.
 */
export function parseSuccessBody(raw: RawResult, target: RequestTarget): unknown {
  if (raw.data === undefined || raw.data === "") return undefined;

  try {
    return JSON.parse(raw.data);
  } catch {
    throw new InvalidResponseError(target, raw.response.status, raw.response.headers.get("Content-Type") ?? undefined);
  }
}

/**
 * Builds the `ApiError` for a response outside 2xx from the body's exact text. The text is read
 * here rather than taken from openapi-fetch, which returns a JSON string body and a body that is
 * not JSON alike, as a string.
 */
export function toApiError(response: Response, bodyText: string, target: RequestTarget): ApiError {
  const parsed = parseJson(bodyText);
  const body = parsed.ok ? parsed.value : undefined;
  const rawBody = parsed.ok ? undefined : bodyText;

  return new ApiError(target, {
    status: response.status,
    body,
    rawBody,
    message: describeFailure(target, response, body, rawBody),
  });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === "") return { ok: false };

  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function describeFailure(
  target: RequestTarget,
  response: Response,
  body: unknown,
  rawBody: string | undefined,
): string {
  const prefix = `${target.method} ${target.url}`;

  if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
    const location = response.headers.get("Location");
    return `${prefix} was redirected${location ? ` to ${location}` : ""}, and the client does not follow redirects. Check the base URL.`;
  }

  const fields = readErrorFields(body);
  const code = fields.errorCode ?? fields.error;
  const description = fields.errorDescription === undefined ? "" : ` (${fields.errorDescription})`;
  const detail = code === undefined ? "" : `: ${code}${description}`;

  return `${prefix} failed with HTTP ${response.status}${detail}${describeRawBody(rawBody)}.`;
}

function describeRawBody(rawBody: string | undefined): string {
  if (rawBody === undefined) return "";
  if (rawBody === "") return " and an empty body";

  return " and a body that is not JSON";
}
