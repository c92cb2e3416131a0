// Downloads the OpenAPI document and checks that it is usable, writing nothing. Every failure is a
// SpecDownloadError whose message states what failed and what to do next.
import { assertOpenApiDocument, InvalidOpenApiDocumentError, type OpenApiDocument } from "./openapi.js";
import { errorMessage, DEFAULT_SPEC_URL } from "./spec-record.js";

/** Environment variable that replaces DEFAULT_SPEC_URL. */
export const SPEC_URL_VARIABLE = "AUTHSIGNAL_SPEC_URL";

/**
 * Default limit in milliseconds for the whole download, from connecting to the last byte. The
 * document is one JSON file, so 30 s leaves room for a slow CI runner or proxy, yet a host that
 * accepts the connection and never responds still fails the script instead of hanging the job.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Largest delay that Node's timers accept (2^31 - 1 ms). Node 20 turns a larger delay into 1 ms with
 * a TimeoutOverflowWarning, so AbortSignal.timeout would abort at once.
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** Kind of failure, so that callers can choose an exit code or a retry without parsing messages. */
export type SpecDownloadErrorCode =
  /** The URL or the timeout is invalid, so nothing was sent. */
  | "invalid-argument"
  /** The connection failed: refused, reset, DNS lookup failed. */
  | "network"
  | "timeout"
  /** The server responded with a status outside 2xx. */
  | "http-status"
  /** The body is not valid JSON, for example an HTML page or text that is not UTF-8. */
  | "invalid-json"
  /** The connection closed or the JSON ended before the whole document arrived. */
  | "truncated"
  /** The body is JSON but not an OpenAPI 3.x document with at least one operation. */
  | "invalid-document"
  /** Reading the current spec or writing the spec or its record failed. */
  | "file-system";

/** A failed download, check or write. The message states what failed and what to do next. */
export class SpecDownloadError extends Error {
  override name = "SpecDownloadError";
  readonly code: SpecDownloadErrorCode;
  /**
   * Whether the spec file and its record still have their previous bytes. False only when writing
   * the record failed and putting back the previous spec failed too.
   */
  readonly filesUnchanged: boolean;

  constructor(code: SpecDownloadErrorCode, message: string, options?: { cause?: unknown; filesUnchanged?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.filesUnchanged = options?.filesUnchanged ?? true;
  }
}

/**
 * Downloads the OpenAPI document and checks it, writing nothing. Throws SpecDownloadError on any
 * failure, with the same codes and messages as `downloadSpec`.
 */
export async function fetchSpecDocument(url: URL, timeoutMs: number): Promise<OpenApiDocument> {
  assertHttpUrl(url);
  assertTimeoutMs(timeoutMs);

  const body = await fetchSpecBody(url, timeoutMs);
  return parseSpecDocument(body, url);
}

/**
 * Reads `AUTHSIGNAL_SPEC_URL` from the environment, or returns DEFAULT_SPEC_URL when it is unset.
 * Throws SpecDownloadError with code "invalid-argument" when it is empty or not an http(s) URL.
 */
export function resolveSpecUrl(environment: NodeJS.ProcessEnv = process.env): URL {
  const value = environment[SPEC_URL_VARIABLE];
  if (value === undefined) return new URL(DEFAULT_SPEC_URL);

  const fix = `Set it to an http:// or https:// URL, or unset it to use ${DEFAULT_SPEC_URL}.`;
  if (value.trim() === "") {
    throw new SpecDownloadError("invalid-argument", `${SPEC_URL_VARIABLE} is set but empty. ${fix}`);
  }
  if (!URL.canParse(value)) {
    throw new SpecDownloadError(
      "invalid-argument",
      `${SPEC_URL_VARIABLE} is not a valid URL: ${JSON.stringify(value)}. ${fix}`,
    );
  }

  const url = new URL(value);
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "http" && scheme !== "https") {
    const problem = `${SPEC_URL_VARIABLE} must use http or https, but ${JSON.stringify(value)} uses ${scheme}.`;
    throw new SpecDownloadError("invalid-argument", `${problem} ${fix}`);
  }
  if (url.username !== "" || url.password !== "") {
    // Node's fetch rejects such URLs, and the record would store the credentials.
    const problem = `${SPEC_URL_VARIABLE} must not contain a user name or password: ${displayUrl(url)}.`;
    throw new SpecDownloadError("invalid-argument", `${problem} ${fix}`);
  }
  return url;
}

/**
 * Parses a timeout option given in milliseconds. Throws SpecDownloadError with code
 * "invalid-argument" unless the text is a positive integer no larger than MAX_TIMEOUT_MS.
 */
export function parseTimeoutMs(text: string, optionName = "--timeout-ms"): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_TIMEOUT_MS) {
    const shownText = JSON.stringify(text);
    throw new SpecDownloadError(
      "invalid-argument",
      `${optionName} must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, but is ${shownText}.`,
    );
  }
  return value;
}

/** Returns the URL without user name and password, so that messages never print credentials. */
export function displayUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = "";
  copy.password = "";
  return copy.href;
}

export function assertHttpUrl(url: URL): void {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SpecDownloadError("invalid-argument", `The spec URL must use http or https: ${displayUrl(url)}`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new SpecDownloadError(
      "invalid-argument",
      `The spec URL must not contain a user name or password: ${displayUrl(url)}`,
    );
  }
}

export function assertTimeoutMs(timeoutMs: number): void {
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new SpecDownloadError(
      "invalid-argument",
      `The timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}, but is ${timeoutMs}.`,
    );
  }
}

interface SpecBody {
  text: string;
  contentType: string;
}

/** Sends the GET request and reads the whole body as UTF-8, mapping every failure to a SpecDownloadError. */
async function fetchSpecBody(url: URL, timeoutMs: number): Promise<SpecBody> {
  // One signal covers connecting, the headers and the body, so a server that stalls mid-body also times out.
  const signal = AbortSignal.timeout(timeoutMs);

  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: "application/json" }, signal });
  } catch (error) {
    throw describeRequestFailure(error, url, timeoutMs);
  }

  const contentType = response.headers.get("content-type") ?? "none";

  if (!response.ok) {
    const bodyStart = await readBodyStartQuietly(response);
    throw new SpecDownloadError("http-status", describeHttpStatus(response, url, bodyStart));
  }

  const bytes = await readBodyBytes(response, url, timeoutMs);

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    const shownUrl = displayUrl(url);
    throw new SpecDownloadError(
      "invalid-json",
      `The response from ${shownUrl} is not valid UTF-8 text (Content-Type: ${contentType}), so it cannot be JSON. ` +
        `Check that ${SPEC_URL_VARIABLE} points at the Client API's OpenAPI document.`,
      { cause: error },
    );
  }

  return { text, contentType };
}

/** Reads the body in chunks and counts the bytes, so that a cut-off transfer can report how much arrived. */
async function readBodyBytes(response: Response, url: URL, timeoutMs: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;

  if (response.body === null) return Buffer.alloc(0);
  const reader = response.body.getReader();

  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      receivedBytes += value.byteLength;
    }
  } catch (error) {
    if (isTimeoutError(error)) throw timeoutError(url, timeoutMs, error);

    const announced = response.headers.get("content-length");
    const sizeNote = announced === null ? "" : ` (Content-Length announced ${announced} bytes)`;
    throw new SpecDownloadError(
      "truncated",
      `The connection to ${displayUrl(url)} closed after ${receivedBytes} bytes of the response${sizeNote}, ` +
        `so the document is incomplete: ${describeErrorChain(error)}. Try again.`,
      { cause: error },
    );
  }

  return Buffer.concat(chunks);
}

/** Returns a short start of an error response's body, or an empty string when it cannot be read. */
async function readBodyStartQuietly(response: Response): Promise<string> {
  try {
    return excerpt(await response.text());
  } catch {
    // The status alone explains the failure, so a body that cannot be read is left out of the message.
    return "";
  }
}

function describeHttpStatus(response: Response, url: URL, bodyStart: string): string {
  const status = `HTTP ${response.status}${response.statusText === "" ? "" : ` ${response.statusText}`}`;
  const advice =
    response.status >= 500
      ? "The server failed, so try again later."
      : `Check that ${SPEC_URL_VARIABLE} points at the Client API's OpenAPI document.`;
  const bodyNote = bodyStart === "" ? "" : ` Start of the response body: ${bodyStart}`;
  return `The server responded ${status} for ${displayUrl(url)}. ${advice}${bodyNote}`;
}

function describeRequestFailure(error: unknown, url: URL, timeoutMs: number): SpecDownloadError {
  if (isTimeoutError(error)) return timeoutError(url, timeoutMs, error);

  // Node's fetch (undici) rejects with TypeError("fetch failed") and puts the system error in `cause`.
  const cause = error instanceof Error ? error.cause : undefined;
  const code = isErrnoException(cause) ? cause.code : undefined;
  const host = url.host;

  let reason: string;
  if (code === "ECONNREFUSED") {
    reason = `the connection to ${host} was refused`;
  } else if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    reason = `the DNS lookup for ${url.hostname} failed (${code})`;
  } else {
    reason = errorMessage(cause ?? error);
  }

  return new SpecDownloadError(
    "network",
    `Could not download ${displayUrl(url)}: ${reason}. Check the network connection and the URL, then try again.`,
    { cause: error },
  );
}

function timeoutError(url: URL, timeoutMs: number, cause: unknown): SpecDownloadError {
  return new SpecDownloadError(
    "timeout",
    `Downloading ${displayUrl(url)} timed out after ${timeoutMs} ms. Try again, or raise the limit with --timeout-ms.`,
    { cause },
  );
}

/** Parses the body as JSON and checks that it is an OpenAPI 3.x document with at least one operation. */
function parseSpecDocument(body: SpecBody, url: URL): OpenApiDocument {
  const source = `The response from ${displayUrl(url)}`;
  const checkUrl = `Check that ${SPEC_URL_VARIABLE} points at the Client API's OpenAPI document.`;

  if (body.text.trim() === "") {
    throw new SpecDownloadError("invalid-json", `${source} is empty (Content-Type: ${body.contentType}). ${checkUrl}`);
  }

  let value: unknown;
  try {
    value = JSON.parse(body.text);
  } catch (error) {
    throw describeJsonFailure(error, body, source, checkUrl);
  }

  try {
    assertOpenApiDocument(value);
  } catch (error) {
    if (!(error instanceof InvalidOpenApiDocumentError)) throw error;
    throw new SpecDownloadError(
      "invalid-document",
      `${source} is JSON but not a usable OpenAPI 3.x document: ${error.message}. ${checkUrl}`,
      { cause: error },
    );
  }

  return value;
}

function describeJsonFailure(error: unknown, body: SpecBody, source: string, checkUrl: string): SpecDownloadError {
  const looksLikeHtml = /html/i.test(body.contentType) || body.text.trimStart().startsWith("<");
  if (looksLikeHtml) {
    return new SpecDownloadError(
      "invalid-json",
      `Expected JSON but received HTML (Content-Type: ${body.contentType}). ${source} may be a proxy's error page ` +
        `or a captive portal's login page. ${checkUrl} Start of the response: ${excerpt(body.text)}`,
      { cause: error },
    );
  }

  if (jsonEndsEarly(error, body.text)) {
    return new SpecDownloadError(
      "truncated",
      `${source} ends before the JSON document is complete (${Buffer.byteLength(body.text)} bytes received), ` +
        "so the transfer was probably cut off. Try again.",
      { cause: error },
    );
  }

  return new SpecDownloadError(
    "invalid-json",
    `${source} is not valid JSON (Content-Type: ${body.contentType}): ${shorten(errorMessage(error))}. ${checkUrl}`,
    { cause: error },
  );
}

/**
 * Reports whether JSON.parse failed because the text ended too soon. V8 (Node 20) states this as
 * "Unexpected end of JSON input" or as an error at a position equal to the text's length.
 */
function jsonEndsEarly(error: unknown, text: string): boolean {
  const message = errorMessage(error);
  if (message.includes("end of JSON input")) return true;

  const position = /at position (\d+)/.exec(message)?.[1];
  return position !== undefined && Number(position) >= text.trimEnd().length;
}

/** Cuts text to a short quoted excerpt on one line, marking the cut, so messages never carry a whole body. */
export function excerpt(text: string, maxCharacters = 120): string {
  const singleLine = text.replace(/\s+/g, " ").trim();
  if (singleLine.length <= maxCharacters) return JSON.stringify(singleLine);
  return `${JSON.stringify(singleLine.slice(0, maxCharacters))}… [cut, ${text.length} characters in total]`;
}

/** Cuts a message to one line of at most maxCharacters, marking the cut. */
function shorten(text: string, maxCharacters = 200): string {
  const singleLine = text.replace(/\s+/g, " ").trim();
  return singleLine.length <= maxCharacters ? singleLine : `${singleLine.slice(0, maxCharacters)}… [cut]`;
}

/** Joins an error's message with its causes' messages, such as undici's "terminated (other side closed)". */
function describeErrorChain(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? errorMessage(error) : `${errorMessage(error)} (${describeErrorChain(cause)})`;
}

function isTimeoutError(error: unknown): boolean {
  // AbortSignal.timeout() aborts with a DOMException named "TimeoutError".
  return error instanceof Error && error.name === "TimeoutError";
}

export function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}
