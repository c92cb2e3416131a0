import { afterEach, describe, expect, test, vi } from "vitest";

import { createClient, DEFAULT_RETRY, InvalidOptionError } from "../../src/index.js";
import { backoffDelay, delayAfterResponse, parseRetryAfter } from "../../src/retry.js";
import { SECRET_TOKEN } from "../support/secrets.js";

/** A `fetch` stand-in that returns the given statuses in order, then 200 with `{}`. */
function createSequenceFetch(statuses: number[], headers: Record<string, string> = {}) {
  const requests: Request[] = [];
  const bodies: string[] = [];

  async function fetch(request: Request): Promise<Response> {
    requests.push(request);
    bodies.push(await request.clone().text());
    const status = statuses[requests.length - 1] ?? 200;
    return new Response(status === 200 ? "{}" : "", { status, headers });
  }

  return { fetch, requests, bodies };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("retry defaults", () => {
  test("retry GET on 503, twice at most", async () => {
    const { fetch, requests } = createSequenceFetch([503, 503, 503, 503]);
    const client = createClient({ token: SECRET_TOKEN, fetch, retry: { baseDelay: 1 } });

    const { error } = await client.GET("/authenticators");

    expect(requests).toHaveLength(3);
    expect(error?.status).toBe(503);
  });

  test("stop retrying after a success", async () => {
    const { fetch, requests } = createSequenceFetch([500]);
    const client = createClient({ token: SECRET_TOKEN, fetch, retry: { baseDelay: 1 } });

    const { data, error } = await client.GET("/authenticators");

    expect(requests).toHaveLength(2);
    expect(error).toBeUndefined();
    expect(data).toEqual({});
  });

  test.each([
    "/user-authenticators/email-otp",
    "/challenge/email-otp",
    "/verify/email-otp",
    "/challenge/sms",
    "/verify/push",
  ] as const)("never retry POST %s", async (path) => {
    const { fetch, requests } = createSequenceFetch([503, 503]);
    const client = createClient({ token: SECRET_TOKEN, fetch, retry: { baseDelay: 1 } });

    const { error } = await client.POST(path, {
      body: { email: "ada@example.com", verificationCode: "123456", challengeId: "c" },
    } as never);

    expect(requests).toHaveLength(1);
    expect(error?.status).toBe(503);
  });

  test("do not retry a 400", async () => {
    const { fetch, requests } = createSequenceFetch([400]);
    const client = createClient({ token: SECRET_TOKEN, fetch, retry: { baseDelay: 1 } });

    await client.GET("/authenticators");

    expect(requests).toHaveLength(1);
  });

  test("match the documented policy", () => {
    expect(DEFAULT_RETRY).toEqual({
      limit: 2,
      methods: ["GET", "HEAD", "OPTIONS"],
      statusCodes: [408, 429, 500, 502, 503, 504],
      baseDelay: 300,
      maxDelay: 5_000,
      maxRetryAfter: 30_000,
    });
  });
});

describe("retry settings", () => {
  test("false on the client turns retries off", async () => {
    const { fetch, requests } = createSequenceFetch([503]);
    const client = createClient({ token: SECRET_TOKEN, fetch, retry: false });

    await client.GET("/authenticators");

    expect(requests).toHaveLength(1);
  });

  test("a call overrides the client", async () => {
    const { fetch, requests } = createSequenceFetch([503, 503, 503, 503, 503]);
    const client = createClient({ token: SECRET_TOKEN, fetch, retry: false });

    await client.GET("/authenticators", { retry: { limit: 4, baseDelay: 1 } });

    expect(requests).toHaveLength(5);
  });

  test("opting POST in resends the same body", async () => {
    const { fetch, requests, bodies } = createSequenceFetch([503]);
    const client = createClient({ token: SECRET_TOKEN, fetch });

    const { data } = await client.POST("/verify/push", {
      body: { challengeId: "push-1" },
      retry: { methods: ["POST"], baseDelay: 1 },
    });

    expect(requests).toHaveLength(2);
    expect(bodies).toEqual(['{"challengeId":"push-1"}', '{"challengeId":"push-1"}']);
    expect(data).toEqual({});
  });

  test.each([
    [{ limit: -1 }, "retry.limit"],
    [{ limit: 1.5 }, "retry.limit"],
    [{ baseDelay: Number.NaN }, "retry.baseDelay"],
    [{ methods: ["get"] }, "retry.methods"],
    [{ statusCodes: [99] }, "retry.statusCodes"],
    [{ statusCodes: [200] }, "retry.statusCodes"],
    [true, "retry"],
  ])("reject %j", (retry, option) => {
    const create = () => createClient({ token: SECRET_TOKEN, retry: retry as never });

    expect(create).toThrow(InvalidOptionError);
    expect(create).toThrow(expect.objectContaining({ option }));
  });
});

describe("backoff", () => {
  test("doubles the ceiling and caps it", () => {
    vi.spyOn(Math, "random").mockReturnValue(0.999_999);
    const policy = { ...DEFAULT_RETRY, baseDelay: 100, maxDelay: 1_000 };

    expect([0, 1, 2, 3, 4, 10].map((retryIndex) => backoffDelay(policy, retryIndex))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
  });

  test("draws from zero up", () => {
    vi.spyOn(Math, "random").mockReturnValue(0);

    expect(backoffDelay(DEFAULT_RETRY, 3)).toBe(0);
  });
});

describe("Retry-After", () => {
  test.each([
    ["0", 0],
    ["2", 2_000],
    [" 7 ", 7_000],
    ["Thu, 01 Jan 2026 00:00:05 GMT", 5_000],
    ["Wed, 31 Dec 2025 23:59:00 GMT", 0],
  ])("parses %j", (value, expected) => {
    expect(parseRetryAfter(value, Date.UTC(2026, 0, 1))).toBe(expected);
  });

  test.each(["soon", "-1", "1.5", ""])("ignores %j", (value) => {
    expect(parseRetryAfter(value)).toBeUndefined();
  });

  test("wins over backoff", () => {
    const response = new Response("", { status: 429, headers: { "Retry-After": "3" } });

    expect(delayAfterResponse(DEFAULT_RETRY, 0, response)).toBe(3_000);
  });

  test("beyond the maximum means no retry", () => {
    const response = new Response("", { status: 429, headers: { "Retry-After": "31" } });

    expect(delayAfterResponse(DEFAULT_RETRY, 0, response)).toBeUndefined();
  });

  test("is ignored on a status that is not retried", () => {
    const response = new Response("", { status: 400, headers: { "Retry-After": "1" } });

    expect(delayAfterResponse(DEFAULT_RETRY, 0, response)).toBeUndefined();
  });
});
