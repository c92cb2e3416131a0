// Contract tests of error responses. Prism, started from the committed spec, responds to a
// request that carries `Prefer: code=400`, `code=401` or `code=429` with that response's example
// from the spec, and the client must return it as an ApiError whose fields match the example.
import { afterAll, beforeAll, describe, expect, expectTypeOf, test, vi } from "vitest";

import type { HttpMethod } from "../../scripts/lib/openapi.js";
import { startPrism, type PrismServer } from "../../scripts/lib/prism.js";
import {
  ApiError,
  createClient,
  isApiError,
  type AuthsignalClient,
  type CallOptions,
  type ClientOptions,
  type components,
} from "../../src/index.js";
import { recordError, SECRET_TENANT_ID, SECRET_TOKEN } from "../support/secrets.js";
import { spec } from "../support/spec.js";

type ErrorResponse = components["schemas"]["ErrorResponse"];

interface CallResult {
  data?: unknown;
  error?: ApiError | undefined;
  response: Response;
}

interface ErrorCase {
  method: HttpMethod;
  path: string;
  /** Whether the client has only a tenant ID, so that the call is sent with tenant Basic auth. */
  tenantOnly: boolean;
  call: (client: AuthsignalClient, init: CallOptions) => Promise<CallResult>;
}

/** The operations under test, keyed as `METHOD /path`. `POST /challenge` accepts tenant auth. */
const CASES: Record<string, ErrorCase> = {
  "GET /authenticators": {
    method: "get",
    path: "/authenticators",
    tenantOnly: false,
    call: (client, init) => client.GET("/authenticators", init),
  },
  "POST /challenge/email-otp": {
    method: "post",
    path: "/challenge/email-otp",
    tenantOnly: false,
    call: (client, init) => client.POST("/challenge/email-otp", { body: {}, ...init }),
  },
  "POST /verify/email-otp": {
    method: "post",
    path: "/verify/email-otp",
    tenantOnly: false,
    call: (client, init) => client.POST("/verify/email-otp", { body: { verificationCode: "123456" }, ...init }),
  },
  "POST /user-authenticators/sms": {
    method: "post",
    path: "/user-authenticators/sms",
    tenantOnly: false,
    call: (client, init) =>
      client.POST("/user-authenticators/sms", {
        body: { phoneNumber: "+64211234567", smsChannel: "DEFAULT" },
        ...init,
      }),
  },
  "POST /challenge": {
    method: "post",
    path: "/challenge",
    tenantOnly: true,
    call: (client, init) => client.POST("/challenge", { body: { action: "signInWithPasskey" }, ...init }),
  },
};

const STATUSES = [400, 401, 429] as const;

/** Resolves a local `$ref` such as `#/components/responses/Unauthorized` against the spec. */
function resolveReference(reference: string): unknown {
  if (!reference.startsWith("#/"))
    throw new Error(`Only local references are supported, but the spec has ${reference}.`);

  let current: unknown = spec;
  for (const part of reference.slice(2).split("/")) {
    const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof current !== "object" || current === null || !(key in current))
      throw new Error(`The spec has no ${reference}.`);
    current = (current as Record<string, unknown>)[key];
  }

  return current;
}

/** Reads the `application/json` example of one response of an operation, following `$ref`s. */
function readErrorExample(method: HttpMethod, path: string, status: number): ErrorResponse {
  let response: unknown = spec.paths[path]?.[method]?.responses?.[String(status)];

  while (typeof response === "object" && response !== null && "$ref" in response) {
    response = resolveReference(String(response.$ref));
  }

  const example = (response as { content?: Record<string, { example?: unknown }> } | undefined)?.content?.[
    "application/json"
  ]?.example;
  if (typeof example !== "object" || example === null) {
    throw new Error(`The spec has no application/json example for ${method.toUpperCase()} ${path} ${status}.`);
  }

  return example as ErrorResponse;
}

/** Creates a `fetch` that records each request and passes it on to Node's fetch. Its only target here is Prism. */
function createCountingFetch() {
  const requests: Request[] = [];

  function fetch(request: Request): Promise<Response> {
    requests.push(request);
    return globalThis.fetch(request);
  }

  return { fetch, requests };
}

let prism: PrismServer;

beforeAll(async () => {
  prism = await startPrism();
});

afterAll(async () => {
  await prism?.stop();
});

/** Creates a client of Prism with the secret test credentials, or only the tenant ID. */
function createPrismClient(tenantOnly: boolean, options: ClientOptions = {}) {
  const credentials = tenantOnly ? { tenantId: SECRET_TENANT_ID } : { token: SECRET_TOKEN, tenantId: SECRET_TENANT_ID };
  return createClient({ baseUrl: prism.url, ...credentials, retry: { baseDelay: 1 }, ...options });
}

/** Returns the header that makes Prism respond with the documented response of one status. */
function preferStatus(status: number): Record<string, string> {
  return { Prefer: `code=${status}` };
}

const TABLE = Object.entries(CASES).flatMap(([key, errorCase]) =>
  STATUSES.map((status) => [key, status, errorCase] as const),
);

describe("error responses", () => {
  test("spec examples are read from the spec", () => {
    expect(readErrorExample("get", "/authenticators", 401).errorCode).toBe("expired_token");
    expect(readErrorExample("post", "/challenge", 429).errorCode).toBe("too_many_requests");
  });

  test.each(TABLE)("%s returns the %s example as ApiError", async (key, status, errorCase) => {
    const example = readErrorExample(errorCase.method, errorCase.path, status);
    const counting = createCountingFetch();
    const onTokenExpired = vi.fn();
    const client = createPrismClient(errorCase.tenantOnly, { fetch: counting.fetch, onTokenExpired, retry: false });

    const { data, error, response } = await errorCase.call(client, { headers: preferStatus(status) });
    recordError(error);

    expect(response.status).toBe(status);
    expect(data).toBeUndefined();
    expect(isApiError(error)).toBe(true);
    expect(error).toBeInstanceOf(ApiError);

    if (!error) throw new Error(`${key} returned no error for Prefer: code=${status}.`);
    expect(error.status).toBe(status);
    expect(error.method).toBe(errorCase.method.toUpperCase());
    expect(error.url).toBe(`${prism.url}${errorCase.path}`);
    expect(error.errorCode).toBe(example.errorCode);
    expect(error.errorDescription).toBe(example.errorDescription);
    expect(error.body).toEqual(example);
    expect(error.rawBody).toBeUndefined();

    expect(onTokenExpired).toHaveBeenCalledTimes(example.errorCode === "expired_token" ? 1 : 0);
    expect(counting.requests).toHaveLength(1);

    const scheme = errorCase.tenantOnly ? "Basic " : "Bearer ";
    expect(counting.requests[0]?.headers.get("Authorization")?.startsWith(scheme)).toBe(true);
  });

  test("401 example calls onTokenExpired with the error", async () => {
    const onTokenExpired = vi.fn();
    const client = createPrismClient(false, { onTokenExpired });

    const { error } = await client.POST("/verify/email-otp", {
      body: { verificationCode: "123456" },
      headers: preferStatus(401),
    });
    recordError(error);

    expect(error?.errorCode).toBe("expired_token");
    expect(onTokenExpired).toHaveBeenCalledTimes(1);
    expect(onTokenExpired).toHaveBeenCalledWith({ operation: "POST /verify/email-otp", error });
  });

  test("error fields are typed without casts", async () => {
    const client = createPrismClient(false);
    const { data, error } = await client.POST("/verify/email-otp", {
      body: { verificationCode: "123456" },
      headers: preferStatus(400),
    });
    recordError(error);

    if (error) {
      // Plain assignments: these lines compile only while the fields keep these types.
      const errorCode: string | undefined = error.errorCode;
      const status: number = error.status;

      expectTypeOf(error).toEqualTypeOf<ApiError<ErrorResponse>>();
      expectTypeOf(error.body).toEqualTypeOf<ErrorResponse | undefined>();
      expect(errorCode).toBe(readErrorExample("post", "/verify/email-otp", 400).errorCode);
      expect(status).toBe(400);
      expect(error.body?.errorCode).toBe(errorCode);
    } else {
      expect.fail(`Prefer: code=400 returned data instead of an error: ${JSON.stringify(data)}`);
    }
  });

  test("tenant-auth error fields are typed", async () => {
    const client = createPrismClient(true);
    const { error } = await client.POST("/challenge", {
      body: { action: "signInWithPasskey" },
      headers: preferStatus(429),
    });
    recordError(error);

    if (!error) throw new Error("Prefer: code=429 returned no error.");
    const errorCode: string | undefined = error.errorCode;

    expect(errorCode).toBe("too_many_requests");
    expect(error.status).toBe(429);
  });
});

describe("rate limits", () => {
  test("429 on POST is not retried", async () => {
    const counting = createCountingFetch();
    const client = createPrismClient(false, { fetch: counting.fetch });

    const { error } = await client.POST("/challenge/email-otp", { body: {}, headers: preferStatus(429) });
    recordError(error);

    expect(error?.status).toBe(429);
    expect(counting.requests).toHaveLength(1);
  });

  test("429 on GET is retried twice", async () => {
    const counting = createCountingFetch();
    const client = createPrismClient(false, { fetch: counting.fetch });

    const { error } = await client.GET("/authenticators", { headers: preferStatus(429) });
    recordError(error);

    expect(error?.status).toBe(429);
    expect(error?.errorCode).toBe("too_many_requests");
    // Prism's 429 has no Retry-After, so the client waits its backoff, at most 1 ms then 2 ms here.
    expect(counting.requests).toHaveLength(3);
  });
});
