// Fault tests check what the client returns or throws when a server responds badly or not at
// all. A node:http server on 127.0.0.1 plays each fault, picked per request by the `x-test-case`
// header, and counts the requests of each case, so that a test can check the number of attempts.
import type { ServerResponse } from "node:http";

import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";

import {
  AbortError,
  ApiError,
  ConnectionRefusedError,
  ConnectionResetError,
  createClient,
  DnsLookupError,
  InvalidResponseError,
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
  NetworkError,
  TimeoutError,
  type ClientOptions,
} from "../../src/index.js";
import {
  CASE_HEADER,
  findClosedPort,
  startHostileServer,
  type Behaviour,
  type HostileServer,
} from "../support/hostile-server.js";
import { captureRejection, exposedTexts, recordError, SECRET_TENANT_ID, SECRET_TOKEN } from "../support/secrets.js";

const HTML_PAGE =
  "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1><hr>nginx</body></html>\n";

const NOT_JSON_TEXT = "Down for maintenance";
const NOT_JSON_BODY = `<html><body>${NOT_JSON_TEXT}</body></html>`;

const VERIFY_DOCUMENT = JSON.stringify({ isVerified: true, accessToken: "access-token-issued-by-the-test-server" });
const TRUNCATED_BODY = VERIFY_DOCUMENT.slice(0, Math.floor(VERIFY_DOCUMENT.length / 2));

// A success body with a new token, broken by a missing pair of quotes. V8's JSON.parse message
// quotes the ten characters on each side of the fault, here the start of the token.
const ISSUED_TOKEN = "eyJhbGciOiJIUzI1NiJ9.aXNzdWVkLWJ5LXRlc3Qtc2VydmVy.c2lnbmF0dXJl";
const UNQUOTED_TOKEN_BODY = `{"isVerified":true,"accessToken":${ISSUED_TOKEN}}`;

// The start of a body whose Content-Length promises far more than the server sends.
const PARTIAL_BODY = '[{"authenticatorId":"1a4d7b2e';

const AUTHENTICATORS = [
  { authenticatorId: "1a4d7b2e-5c8f-4a3b-8d6e-9c2f5a8b1e47", verificationMethod: "EMAIL_OTP", isActive: true },
];
const CHALLENGE = { challengeId: "5d8f6f3e-2b8c-4b57-9d1e-7a3c0e6b9f21" };

const TOO_MANY_REQUESTS = {
  errorCode: "too_many_requests",
  errorDescription: "Too many requests. Wait before you try again.",
};
const EXPIRED_TOKEN = { errorCode: "expired_token", errorDescription: "The token has expired." };

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

function sendText(response: ServerResponse, status: number, contentType: string, text: string): void {
  response.writeHead(status, { "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(text)) });
  response.end(text);
}

function sendEmpty(response: ServerResponse, status: number, framing: "length" | "chunked"): void {
  if (framing === "length") {
    response.writeHead(status, { "Content-Length": "0" });
  } else {
    // Node sends no Content-Length for a chunked response, only the final zero-length chunk.
    response.writeHead(status, { "Transfer-Encoding": "chunked" });
    response.write("");
  }

  response.end();
}

let server: HostileServer;
let redirectTarget: HostileServer;

/** What the test server does for each behaviour name, the part of a case name before its `:`. */
const BEHAVIOURS: Record<string, Behaviour> = {
  ok: (response, request) => sendJson(response, 200, request.method === "GET" ? AUTHENTICATORS : CHALLENGE),
  "html-502": (response) => sendText(response, 502, "text/html; charset=utf-8", HTML_PAGE),
  "json-string-502": (response) => sendJson(response, 502, "Bad gateway"),
  "empty-500-length": (response) => sendEmpty(response, 500, "length"),
  "empty-500-chunked": (response) => sendEmpty(response, 500, "chunked"),
  "empty-200-length": (response) => sendEmpty(response, 200, "length"),
  "empty-200-chunked": (response) => sendEmpty(response, 200, "chunked"),
  "no-content": (response) => {
    response.writeHead(204);
    response.end();
  },
  "html-200": (response) => sendText(response, 200, "text/html; charset=utf-8", NOT_JSON_BODY),
  "unquoted-token": (response) => sendText(response, 200, "application/json", UNQUOTED_TOKEN_BODY),
  "truncated-json": (response) => sendText(response, 200, "application/json", TRUNCATED_BODY),
  "corrupt-gzip": (response) => {
    response.writeHead(200, {
      "Content-Type": "application/json",
      "Content-Encoding": "gzip",
      "Content-Length": String(VERIFY_DOCUMENT.length),
    });
    response.end(VERIFY_DOCUMENT);
  },
  "reset-mid-body": (response) => {
    response.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
    response.write(PARTIAL_BODY, () => response.socket?.destroy());
  },
  "reset-before-headers": (response) => response.socket?.destroy(),
  "malformed-status": (response) => response.socket?.end("HTTP/1.1 abc Not a status\r\n\r\n"),
  hang: () => {},
  "stalled-body": (response) => {
    response.writeHead(200, { "Content-Type": "application/json", "Content-Length": "1000" });
    response.write(PARTIAL_BODY);
  },
  "retry-after-seconds": (response, request) => {
    if (request.attempt === 1) sendJson(response, 429, TOO_MANY_REQUESTS, { "Retry-After": "1" });
    else sendJson(response, 200, AUTHENTICATORS);
  },
  "retry-after-date": (response, request) => {
    // An HTTP date has whole seconds, so this requests a wait of between one and two seconds.
    const retryAt = new Date(Date.now() + 2_000).toUTCString();
    if (request.attempt === 1) sendJson(response, 429, TOO_MANY_REQUESTS, { "Retry-After": retryAt });
    else sendJson(response, 200, AUTHENTICATORS);
  },
  "retry-after-31": (response) => sendJson(response, 429, TOO_MANY_REQUESTS, { "Retry-After": "31" }),
  "expired-401": (response) => sendJson(response, 401, EXPIRED_TOKEN),
  "expired-401-with-error-key": (response) => sendJson(response, 401, { error: "expired_token", ...EXPIRED_TOKEN }),
  "expired-400": (response) => sendJson(response, 400, EXPIRED_TOKEN),
  "expired-403": (response) => sendJson(response, 403, EXPIRED_TOKEN),
  "expired-503": (response) => sendJson(response, 503, EXPIRED_TOKEN),
  "invalid-token-401": (response) =>
    sendJson(response, 401, { errorCode: "invalid_token", errorDescription: "The token is invalid." }),
  redirect: (response) => {
    response.writeHead(302, { Location: `${redirectTarget.url}/authenticators`, "Content-Length": "0" });
    response.end();
  },
  "unavailable-once": (response, request) => {
    if (request.attempt === 1) sendJson(response, 503, { errorCode: "service_unavailable" });
    else sendJson(response, 200, { isVerified: false });
  },
};

beforeAll(async () => {
  server = await startHostileServer(BEHAVIOURS);
  redirectTarget = await startHostileServer({ "*": (response) => sendJson(response, 200, AUTHENTICATORS) });
});

afterAll(async () => {
  await server?.close();
  await redirectTarget?.close();
});

/**
 * Creates a client of the test server with the secret test credentials. Unless a test overrides
 * them, retries wait at most a few milliseconds, and a request without a response times out after two seconds.
 */
function createTestClient(options: ClientOptions = {}) {
  return createClient({
    baseUrl: server.url,
    token: SECRET_TOKEN,
    tenantId: SECRET_TENANT_ID,
    retry: { baseDelay: 1 },
    timeout: 2_000,
    ...options,
  });
}

/** Returns the header that routes a request to one case of the test server. */
function onCase(caseName: string): Record<string, string> {
  return { [CASE_HEADER]: caseName };
}

/** Checks a value with a type guard and returns it narrowed, so that a test can read its fields. */
function expectGuard<Kind>(value: unknown, guard: (value: unknown) => value is Kind): Kind {
  expect(guard(value), `${guard.name} returned false for ${String(value)}`).toBe(true);
  return value as Kind;
}

/** Creates a `fetch` stand-in that records each request and fails the way Node's fetch does when the host name does not resolve. */
function createDnsFailureFetch() {
  const requests: Request[] = [];

  async function fetch(request: Request): Promise<Response> {
    requests.push(request);

    const hostname = new URL(request.url).hostname;
    const cause = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      errno: -3008,
      code: "ENOTFOUND",
      syscall: "getaddrinfo",
      hostname,
    });
    throw new TypeError("fetch failed", { cause });
  }

  return { fetch, requests };
}

function elapsedSince(start: number): number {
  return performance.now() - start;
}

describe("error statuses", () => {
  test("HTML 502 on POST is returned without a retry", async () => {
    const client = createTestClient();
    const { data, error, response } = await client.POST("/challenge/email-otp", {
      body: {},
      headers: onCase("html-502:post"),
    });
    recordError(error);

    const apiError = expectGuard(error, isApiError);
    expect(apiError).toBeInstanceOf(ApiError);
    expect(apiError.status).toBe(502);
    expect(apiError.method).toBe("POST");
    expect(apiError.url).toBe(`${server.url}/challenge/email-otp`);
    expect(apiError.rawBody).toBe(HTML_PAGE);
    expect(apiError.body).toBeUndefined();
    expect(apiError.errorCode).toBeUndefined();
    expect(apiError.errorDescription).toBeUndefined();
    expect(apiError.message).toBe(
      `POST ${server.url}/challenge/email-otp failed with HTTP 502 and a body that is not JSON.`,
    );
    expect(data).toBeUndefined();
    expect(response.status).toBe(502);
    expect(server.requestsFor("html-502:post")).toHaveLength(1);
  });

  test("HTML 502 on GET is retried, then returned", async () => {
    const client = createTestClient();
    const { data, error } = await client.GET("/authenticators", { headers: onCase("html-502:get") });
    recordError(error);

    const apiError = expectGuard(error, isApiError);
    expect(apiError.status).toBe(502);
    expect(apiError.rawBody).toBe(HTML_PAGE);
    expect(apiError.body).toBeUndefined();
    expect(apiError.errorCode).toBeUndefined();
    expect(data).toBeUndefined();
    // The first attempt and two retries, the default limit.
    expect(server.requestsFor("html-502:get")).toHaveLength(3);
  });

  test.each(["empty-500-length", "empty-500-chunked"])("%s gives an empty rawBody", async (caseName) => {
    const client = createTestClient({ retry: false });
    const { data, error } = await client.GET("/authenticators", { headers: onCase(caseName) });
    recordError(error);

    const apiError = expectGuard(error, isApiError);
    expect(apiError.status).toBe(500);
    expect(apiError.rawBody).toBe("");
    expect(apiError.body).toBeUndefined();
    expect(apiError.errorCode).toBeUndefined();
    expect(apiError.message).toBe(`GET ${server.url}/authenticators failed with HTTP 500 and an empty body.`);
    expect(data).toBeUndefined();
  });

  // openapi-fetch parses an error body itself, after which a JSON string such as "Bad gateway"
  // and plain text look alike. The client keeps the exact text to tell them apart.
  test("JSON string body is kept as body", async () => {
    const client = createTestClient({ retry: false });
    const { error } = await client.GET("/authenticators", { headers: onCase("json-string-502") });
    recordError(error);

    const apiError = expectGuard(error, isApiError);
    expect(apiError.status).toBe(502);
    expect(apiError.body).toBe("Bad gateway");
    expect(apiError.rawBody).toBeUndefined();
  });
});

describe("empty success bodies", () => {
  test("200 with Content-Length 0 gives no data", async () => {
    const client = createTestClient();
    const { data, error, response } = await client.GET("/authenticators", { headers: onCase("empty-200-length") });
    recordError(error);

    expect(response.headers.get("Content-Length")).toBe("0");
    expect(response.status).toBe(200);
    expect(data).toBeUndefined();
    expect(error).toBeUndefined();
  });

  test("chunked empty 200 gives no data", async () => {
    const client = createTestClient();
    const { data, error, response } = await client.GET("/authenticators", { headers: onCase("empty-200-chunked") });
    recordError(error);

    expect(response.headers.get("Content-Length")).toBeNull();
    expect(response.headers.get("Transfer-Encoding")).toBe("chunked");
    expect(response.status).toBe(200);
    expect(data).toBeUndefined();
    expect(error).toBeUndefined();
  });

  test("204 gives no data", async () => {
    const client = createTestClient();
    const { data, error, response } = await client.POST("/challenge/email-otp", {
      body: {},
      headers: onCase("no-content"),
    });
    recordError(error);

    expect(response.status).toBe(204);
    expect(data).toBeUndefined();
    expect(error).toBeUndefined();
  });
});

describe("invalid success bodies", () => {
  test("HTML 200 rejects with InvalidResponseError", async () => {
    const client = createTestClient();
    const error = await captureRejection(() => client.GET("/authenticators", { headers: onCase("html-200:get") }));

    const invalid = expectGuard(error, isInvalidResponseError);
    expect(invalid).toBeInstanceOf(InvalidResponseError);
    expect(invalid.name).toBe("InvalidResponseError");
    expect(invalid.status).toBe(200);
    expect(invalid.method).toBe("GET");
    expect(invalid.url).toBe(`${server.url}/authenticators`);
    expect(invalid.contentType).toBe("text/html; charset=utf-8");
    expect(invalid.message).not.toContain(NOT_JSON_TEXT);
    // JSON.parse quotes the text around the fault, so its SyntaxError is not kept as the cause.
    expect(invalid.cause).toBeUndefined();
  });

  test("HTML 200 on GET is not retried", async () => {
    const client = createTestClient();
    await captureRejection(() => client.GET("/authenticators", { headers: onCase("html-200:retry") }));

    expect(server.requestsFor("html-200:retry")).toHaveLength(1);
  });

  // A success body can carry a new access token, and JSON.parse quotes the text around the fault
  // in its SyntaxError, so no part of the error may repeat the body.
  test("InvalidResponseError leaves the body out of its cause", async () => {
    const client = createTestClient();
    const error = await captureRejection(() =>
      client.POST("/verify/email-otp", { body: { verificationCode: "123456" }, headers: onCase("unquoted-token") }),
    );

    const invalid = expectGuard(error, isInvalidResponseError);
    expect(invalid.message).not.toContain(ISSUED_TOKEN.slice(0, 10));
    expect(exposedTexts(error).filter((text) => text.includes(ISSUED_TOKEN.slice(0, 10)))).toEqual([]);
  });

  test("truncated JSON rejects with InvalidResponseError", async () => {
    const client = createTestClient();
    const error = await captureRejection(() =>
      client.POST("/verify/email-otp", { body: { verificationCode: "123456" }, headers: onCase("truncated-json") }),
    );

    const invalid = expectGuard(error, isInvalidResponseError);
    expect(invalid.status).toBe(200);
    expect(invalid.method).toBe("POST");
    expect(invalid.contentType).toBe("application/json");
    expect(invalid.message).not.toContain(TRUNCATED_BODY);
    expect(server.requestsFor("truncated-json")).toHaveLength(1);
  });
});

describe("connection failures", () => {
  test("reset mid-body on POST throws ConnectionResetError", async () => {
    const client = createTestClient();
    const error = await captureRejection(() =>
      client.POST("/challenge/email-otp", { body: {}, headers: onCase("reset-mid-body:post") }),
    );

    const reset = expectGuard(error, isConnectionResetError);
    expect(reset).toBeInstanceOf(ConnectionResetError);
    expect(reset.name).toBe("ConnectionResetError");
    expect(reset.method).toBe("POST");
    expect(reset.url).toBe(`${server.url}/challenge/email-otp`);
    expect(reset.cause).toBeInstanceOf(TypeError);
    expect(server.requestsFor("reset-mid-body:post")).toHaveLength(1);
  });

  test("reset mid-body on GET is retried, then thrown", async () => {
    const client = createTestClient();
    const error = await captureRejection(() =>
      client.GET("/authenticators", { headers: onCase("reset-mid-body:get") }),
    );

    const reset = expectGuard(error, isConnectionResetError);
    expect(reset.method).toBe("GET");
    expect(server.requestsFor("reset-mid-body:get")).toHaveLength(3);
  });

  test("reset before headers throws ConnectionResetError", async () => {
    const client = createTestClient();
    const error = await captureRejection(() =>
      client.POST("/challenge/email-otp", { body: {}, headers: onCase("reset-before-headers") }),
    );

    expectGuard(error, isConnectionResetError);
    expect(server.requestsFor("reset-before-headers")).toHaveLength(1);
  });

  test("closed port throws ConnectionRefusedError", async () => {
    const baseUrl = `http://127.0.0.1:${await findClosedPort()}`;
    const client = createTestClient({ baseUrl });
    const error = await captureRejection(() => client.POST("/challenge/email-otp", { body: {} }));

    const refused = expectGuard(error, isConnectionRefusedError);
    expect(refused).toBeInstanceOf(ConnectionRefusedError);
    expect(refused.name).toBe("ConnectionRefusedError");
    expect(refused.method).toBe("POST");
    expect(refused.url).toBe(`${baseUrl}/challenge/email-otp`);
    expect(refused.cause).toBeInstanceOf(TypeError);
    expect(refused.cause).toMatchObject({ cause: { code: "ECONNREFUSED" } });
  });

  test("unresolved host name throws DnsLookupError", async () => {
    const dnsFailure = createDnsFailureFetch();
    const client = createTestClient({ fetch: dnsFailure.fetch });
    const error = await captureRejection(() => client.POST("/challenge/email-otp", { body: {} }));

    const lookup = expectGuard(error, isDnsLookupError);
    expect(lookup).toBeInstanceOf(DnsLookupError);
    expect(lookup.name).toBe("DnsLookupError");
    expect(lookup.method).toBe("POST");
    expect(lookup.url).toBe(`${server.url}/challenge/email-otp`);
    expect(lookup.cause).toMatchObject({ message: "fetch failed", cause: { code: "ENOTFOUND" } });
    expect(dnsFailure.requests).toHaveLength(1);
  });

  test("unresolved host name on GET is retried", async () => {
    const dnsFailure = createDnsFailureFetch();
    const client = createTestClient({ fetch: dnsFailure.fetch });
    const error = await captureRejection(() => client.GET("/authenticators"));

    expectGuard(error, isDnsLookupError);
    expect(dnsFailure.requests).toHaveLength(3);
  });

  test("malformed status line throws NetworkError", async () => {
    const client = createTestClient();
    const error = await captureRejection(() =>
      client.POST("/challenge/email-otp", { body: {}, headers: onCase("malformed-status") }),
    );

    const network = expectGuard(error, isNetworkError);
    expect(network).toBeInstanceOf(NetworkError);
    expect(network.name).toBe("NetworkError");
    expect(network.method).toBe("POST");
    expect(network.cause).toMatchObject({ message: "fetch failed", cause: { code: "HPE_INVALID_STATUS" } });
  });

  // A body that claims gzip but is not gzip makes undici reject with TypeError("terminated")
  // whose cause has code Z_DATA_ERROR; the connection did not close early.
  test("corrupt gzip body is not a connection reset", async () => {
    const client = createTestClient({ retry: false });
    const error = await captureRejection(() => client.GET("/authenticators", { headers: onCase("corrupt-gzip") }));

    expect(isAuthsignalClientError(error)).toBe(true);
    expect(isConnectionResetError(error)).toBe(false);
  });
});

describe("timeouts and aborts", () => {
  test("client timeout throws TimeoutError", async () => {
    const client = createTestClient({ timeout: 100, retry: false });
    const error = await captureRejection(() => client.GET("/authenticators", { headers: onCase("hang:client") }));

    const timeout = expectGuard(error, isTimeoutError);
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect(timeout.name).toBe("TimeoutError");
    expect(timeout.timeout).toBe(100);
    expect(timeout.method).toBe("GET");
    expect(timeout.url).toBe(`${server.url}/authenticators`);
    expect(timeout.cause).toBeDefined();
    expect(server.requestsFor("hang:client")).toHaveLength(1);
  });

  test("call timeout overrides the client's", async () => {
    const client = createTestClient({ timeout: 5_000, retry: false });
    const start = performance.now();
    const error = await captureRejection(() =>
      client.POST("/challenge/email-otp", { body: {}, timeout: 100, headers: onCase("hang:call") }),
    );

    const timeout = expectGuard(error, isTimeoutError);
    expect(timeout.timeout).toBe(100);
    expect(elapsedSince(start)).toBeLessThan(5_000);
  });

  test("stalled body throws TimeoutError", async () => {
    const client = createTestClient({ timeout: 100, retry: false });
    const error = await captureRejection(() => client.GET("/authenticators", { headers: onCase("stalled-body") }));

    const timeout = expectGuard(error, isTimeoutError);
    expect(timeout.timeout).toBe(100);
  });

  test("timed-out GET is retried", async () => {
    const client = createTestClient({ timeout: 50 });
    const error = await captureRejection(() => client.GET("/authenticators", { headers: onCase("hang:retried") }));

    expectGuard(error, isTimeoutError);
    expect(server.requestsFor("hang:retried")).toHaveLength(3);
  });

  test("caller abort wins over the timeout", async () => {
    const client = createTestClient({ timeout: 5_000 });
    const controller = new AbortController();
    const reason = new Error("The user left the sign-in page.");
    setTimeout(() => controller.abort(reason), 50);

    const error = await captureRejection(() =>
      client.GET("/authenticators", { signal: controller.signal, headers: onCase("hang:abort") }),
    );

    const abort = expectGuard(error, isAbortError);
    expect(abort).toBeInstanceOf(AbortError);
    expect(abort.name).toBe("AbortError");
    expect(abort.method).toBe("GET");
    expect(abort.cause).toBe(reason);
    expect(isTimeoutError(error)).toBe(false);
    // An abort is never retried, even on GET.
    expect(server.requestsFor("hang:abort")).toHaveLength(1);
  });

  test("aborted signal sends no request", async () => {
    const client = createTestClient();
    const reason = new Error("Aborted before the call.");
    const error = await captureRejection(() =>
      client.GET("/authenticators", { signal: AbortSignal.abort(reason), headers: onCase("hang:pre-aborted") }),
    );

    const abort = expectGuard(error, isAbortError);
    expect(abort.cause).toBe(reason);
    expect(server.requestsFor("hang:pre-aborted")).toHaveLength(0);
  });

  test("abort during the retry wait throws AbortError", async () => {
    const client = createTestClient();
    const controller = new AbortController();
    const reason = new Error("Stopped while waiting to retry.");
    setTimeout(() => controller.abort(reason), 100);

    // maxRetryAfter is raised so that the client waits the 31 seconds that the server requests.
    const start = performance.now();
    const error = await captureRejection(() =>
      client.GET("/authenticators", {
        signal: controller.signal,
        retry: { maxRetryAfter: 60_000 },
        headers: onCase("retry-after-31:abort"),
      }),
    );

    const abort = expectGuard(error, isAbortError);
    expect(abort.cause).toBe(reason);
    expect(server.requestsFor("retry-after-31:abort")).toHaveLength(1);
    expect(elapsedSince(start)).toBeLessThan(5_000);
  });
});

describe("Retry-After", () => {
  test("GET waits Retry-After seconds, then retries", async () => {
    const client = createTestClient();
    const start = performance.now();
    const { data, error } = await client.GET("/authenticators", { headers: onCase("retry-after-seconds:get") });
    recordError(error);

    expect(error).toBeUndefined();
    expect(data).toEqual(AUTHENTICATORS);
    expect(server.requestsFor("retry-after-seconds:get")).toHaveLength(2);
    expect(elapsedSince(start)).toBeGreaterThanOrEqual(900);
  });

  test("GET waits until a Retry-After date", async () => {
    const client = createTestClient();
    const start = performance.now();
    const { data, error } = await client.GET("/authenticators", { headers: onCase("retry-after-date") });
    recordError(error);

    expect(error).toBeUndefined();
    expect(data).toEqual(AUTHENTICATORS);
    expect(server.requestsFor("retry-after-date")).toHaveLength(2);
    expect(elapsedSince(start)).toBeGreaterThanOrEqual(900);
  });

  test("Retry-After above maxRetryAfter returns the 429", async () => {
    const client = createTestClient();
    const start = performance.now();
    const { data, error } = await client.GET("/authenticators", { headers: onCase("retry-after-31:get") });
    recordError(error);

    const apiError = expectGuard(error, isApiError);
    expect(apiError.status).toBe(429);
    expect(apiError.errorCode).toBe("too_many_requests");
    expect(apiError.errorDescription).toBe(TOO_MANY_REQUESTS.errorDescription);
    expect(apiError.body).toEqual(TOO_MANY_REQUESTS);
    expect(apiError.rawBody).toBeUndefined();
    expect(data).toBeUndefined();
    expect(server.requestsFor("retry-after-31:get")).toHaveLength(1);
    expect(elapsedSince(start)).toBeLessThan(5_000);
  });

  test("429 on POST is not retried", async () => {
    const client = createTestClient();
    const { error } = await client.POST("/challenge/email-otp", {
      body: {},
      headers: onCase("retry-after-seconds:post"),
    });
    recordError(error);

    const apiError = expectGuard(error, isApiError);
    expect(apiError.status).toBe(429);
    expect(apiError.errorCode).toBe("too_many_requests");
    expect(server.requestsFor("retry-after-seconds:post")).toHaveLength(1);
  });
});

describe("onTokenExpired", () => {
  test.each([
    ["expired-401", 401],
    ["expired-401-with-error-key", 401],
    ["expired-400", 400],
    ["expired-403", 403],
  ])("%s calls it once", async (caseName, status) => {
    const onTokenExpired = vi.fn();
    const client = createTestClient({ onTokenExpired });
    const { error } = await client.POST("/challenge/email-otp", { body: {}, headers: onCase(caseName) });
    recordError(error);

    const apiError = expectGuard(error, isApiError);
    expect(apiError.status).toBe(status);
    expect(apiError.errorCode).toBe("expired_token");
    expect(onTokenExpired).toHaveBeenCalledTimes(1);
    expect(onTokenExpired).toHaveBeenCalledWith({ operation: "POST /challenge/email-otp", error: apiError });
    expect(onTokenExpired.mock.calls[0]?.[0].error).toBe(apiError);
  });

  test("another 401 errorCode does not call it", async () => {
    const onTokenExpired = vi.fn();
    const client = createTestClient({ onTokenExpired });
    const { error } = await client.POST("/challenge/email-otp", { body: {}, headers: onCase("invalid-token-401") });
    recordError(error);

    const apiError = expectGuard(error, isApiError);
    expect(apiError.status).toBe(401);
    expect(apiError.errorCode).toBe("invalid_token");
    expect(onTokenExpired).not.toHaveBeenCalled();
  });

  test("retried GET calls it once", async () => {
    const onTokenExpired = vi.fn();
    const client = createTestClient({ onTokenExpired });
    const { error } = await client.GET("/authenticators", { headers: onCase("expired-503") });
    recordError(error);

    expectGuard(error, isApiError);
    expect(server.requestsFor("expired-503")).toHaveLength(3);
    expect(onTokenExpired).toHaveBeenCalledTimes(1);
    expect(onTokenExpired).toHaveBeenCalledWith({ operation: "GET /authenticators", error });
  });

  test("the call waits for it", async () => {
    const order: string[] = [];
    const client = createTestClient({
      onTokenExpired: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push("hook finished");
      },
    });

    const { error } = await client.POST("/challenge/email-otp", { body: {}, headers: onCase("expired-401:wait") });
    recordError(error);
    order.push("call returned");

    expect(order).toEqual(["hook finished", "call returned"]);
  });
});

describe("redirects", () => {
  test("302 to another origin is returned, not followed", async () => {
    const client = createTestClient();
    const { data, error, response } = await client.GET("/authenticators", { headers: onCase("redirect") });
    recordError(error);

    const apiError = expectGuard(error, isApiError);
    expect(apiError.status).toBe(302);
    expect(apiError.message).toContain(`was redirected to ${redirectTarget.url}/authenticators`);
    expect(apiError.message).toContain("does not follow redirects");
    expect(response.status).toBe(302);
    expect(data).toBeUndefined();
    expect(server.requestsFor("redirect")).toHaveLength(1);
    expect(redirectTarget.allRequests()).toHaveLength(0);
    expect(redirectTarget.allRequests().map((request) => request.headers.authorization)).toEqual([]);
  });
});

/** Every guard for one kind of error. Exactly one of them accepts any error of this package. */
const KIND_GUARDS = {
  isInvalidOptionError,
  isMissingCredentialsError,
  isApiError,
  isInvalidResponseError,
  isConnectionRefusedError,
  isConnectionResetError,
  isDnsLookupError,
  isNetworkError,
  isTimeoutError,
  isAbortError,
};

type KindGuardName = keyof typeof KIND_GUARDS;

/** One call per kind of failure, each returning the error it produced. */
const FAILURES: Array<[KindGuardName, () => Promise<unknown>]> = [
  [
    "isApiError",
    async () =>
      (await createTestClient().POST("/challenge/email-otp", { body: {}, headers: onCase("html-502:guard") })).error,
  ],
  [
    "isInvalidResponseError",
    () => captureRejection(() => createTestClient().GET("/authenticators", { headers: onCase("html-200:guard") })),
  ],
  [
    "isConnectionRefusedError",
    async () => {
      const client = createTestClient({ baseUrl: `http://127.0.0.1:${await findClosedPort()}` });
      return captureRejection(() => client.POST("/challenge/email-otp", { body: {} }));
    },
  ],
  [
    "isConnectionResetError",
    () =>
      captureRejection(() =>
        createTestClient().POST("/challenge/email-otp", { body: {}, headers: onCase("reset-mid-body:guard") }),
      ),
  ],
  [
    "isDnsLookupError",
    () =>
      captureRejection(() =>
        createTestClient({ fetch: createDnsFailureFetch().fetch }).POST("/challenge/email-otp", { body: {} }),
      ),
  ],
  [
    "isNetworkError",
    () =>
      captureRejection(() =>
        createTestClient().POST("/challenge/email-otp", { body: {}, headers: onCase("malformed-status:guard") }),
      ),
  ],
  [
    "isTimeoutError",
    () =>
      captureRejection(() =>
        createTestClient({ timeout: 50 }).POST("/challenge/email-otp", { body: {}, headers: onCase("hang:guard") }),
      ),
  ],
  [
    "isAbortError",
    () => captureRejection(() => createTestClient().GET("/authenticators", { signal: AbortSignal.abort() })),
  ],
];

const TRANSPORT_GUARDS: readonly KindGuardName[] = [
  "isConnectionRefusedError",
  "isConnectionResetError",
  "isDnsLookupError",
  "isNetworkError",
  "isTimeoutError",
  "isAbortError",
];

describe("type guards", () => {
  test.each(FAILURES)("only %s accepts its error", async (expectedGuard, produce) => {
    const error = recordError(await produce());

    const accepting = Object.entries(KIND_GUARDS)
      .filter(([, guard]) => guard(error))
      .map(([name]) => name);

    expect(accepting).toEqual([expectedGuard]);
    expect(isAuthsignalClientError(error)).toBe(true);
    expect(isTransportError(error)).toBe(TRANSPORT_GUARDS.includes(expectedGuard));
  });
});

describe("retries", () => {
  test("POST body survives a retry", async () => {
    const client = createTestClient();
    const body = { verificationCode: "123456" };
    const { data, error } = await client.POST("/verify/email-otp", {
      body,
      retry: { methods: ["POST"], baseDelay: 1 },
      headers: onCase("unavailable-once"),
    });
    recordError(error);

    const requests = server.requestsFor("unavailable-once");
    expect(requests).toHaveLength(2);
    expect(requests.map((request) => JSON.parse(request.body))).toEqual([body, body]);
    expect(requests[1]?.body).toBe(requests[0]?.body);
    expect(requests[1]?.headers["content-type"]).toBe("application/json");
    expect(requests[1]?.headers.authorization).toBe(requests[0]?.headers.authorization);
    expect(error).toBeUndefined();
    expect(data).toEqual({ isVerified: false });
  });
});

describe("recovery", () => {
  test("client works after a reset", async () => {
    const client = createTestClient();
    await captureRejection(() =>
      client.POST("/challenge/email-otp", { body: {}, headers: onCase("reset-mid-body:recovery") }),
    );

    const { data, error } = await client.POST("/challenge/email-otp", { body: {}, headers: onCase("ok:after-reset") });
    recordError(error);

    expect(error).toBeUndefined();
    expect(data).toEqual(CHALLENGE);
  });

  test("client works after a refused connection", async () => {
    const port = await findClosedPort();
    const client = createTestClient({ baseUrl: `http://127.0.0.1:${port}` });
    const refused = await captureRejection(() => client.POST("/challenge/email-otp", { body: {} }));
    expectGuard(refused, isConnectionRefusedError);

    // A server now starts on the port that refused the first call.
    const revived = await startHostileServer({ "*": (response) => sendJson(response, 200, CHALLENGE) }, { port });
    try {
      const { data, error } = await client.POST("/challenge/email-otp", { body: {} });
      recordError(error);

      expect(error).toBeUndefined();
      expect(data).toEqual(CHALLENGE);
      expect(revived.allRequests()).toHaveLength(1);
    } finally {
      await revived.close();
    }
  });
});
