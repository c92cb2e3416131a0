import { ApiError, InvalidResponseError, readErrorFields, type RequestTarget } from "./errors.js";

/** What openapi-fetch returns when asked to parse the body as text. */
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
  } catch (error) {
    throw new InvalidResponseError(
      target,
      raw.response.status,
      raw.response.headers.get("Content-Type") ?? undefined,
      error,
    );
  }
}

/**
 * Builds the `ApiError` for a response outside 2xx. openapi-fetch has already read the body and
 * parsed it as JSON where it could, so `error` is the parsed value, the raw text, or `undefined`
 * for a body it skipped as empty.
 */
export function toApiError(raw: RawResult, target: RequestTarget): ApiError {
  const isText = raw.error === undefined || typeof raw.error === "string";
  const rawBody = isText ? ((raw.error as string | undefined) ?? "") : undefined;
  const body = isText ? undefined : raw.error;
  const message = describeFailure(target, raw.response, body, rawBody);

  return new ApiError(target, { status: raw.response.status, body, rawBody, message });
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
  const detail =
    code === undefined
      ? ""
      : `: ${code}${fields.errorDescription === undefined ? "" : ` (${fields.errorDescription})`}`;
  const bodyNote = rawBody === undefined ? "" : rawBody === "" ? " and an empty body" : " and a body that is not JSON";

  return `${prefix} failed with HTTP ${response.status}${detail}${bodyNote}.`;
}
