import { describe, expect, test, vi } from "vitest";

import { createClient, InvalidOptionError } from "../../src/index.js";
import { createRecordingFetch } from "../support/recording-fetch.js";
import { captureRejection, SECRET_TENANT_BASIC, SECRET_TENANT_ID, SECRET_TOKEN } from "../support/secrets.js";

describe("per-call token", () => {
  test("replaces the client's token for one call", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ token: "client-token", fetch });

    await client.POST("/challenge/email-otp", { body: {}, token: "call-token" });
    await client.POST("/challenge/email-otp", { body: {} });

    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer call-token");
    expect(requests[1]?.headers.get("Authorization")).toBe("Bearer client-token");
  });

  test("may be a function", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ tenantId: SECRET_TENANT_ID, fetch });

    await client.POST("/challenge/email-otp", { body: {}, token: async () => "call-token" });

    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer call-token");
  });

  test("is checked before sending", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ token: SECRET_TOKEN, fetch });

    const error = await captureRejection(() =>
      client.POST("/challenge/email-otp", { body: {}, token: `${SECRET_TOKEN}\n` }),
    );

    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ option: "token" });
    expect(requests).toHaveLength(0);
  });
});

describe("setToken", () => {
  test("adopts a verify response's accessToken", async () => {
    const { fetch, requests } = createRecordingFetch({ isVerified: true, accessToken: "token-with-more-scopes" });
    const client = createClient({ token: "first-token", fetch });

    const { data } = await client.POST("/verify/email-otp", { body: { verificationCode: "123456" } });
    if (data?.accessToken) client.setToken(data.accessToken);
    await client.GET("/user-authenticators");

    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer first-token");
    expect(requests[1]?.headers.get("Authorization")).toBe("Bearer token-with-more-scopes");
  });

  test("never happens by itself", async () => {
    const { fetch, requests } = createRecordingFetch({ isVerified: true, accessToken: "token-with-more-scopes" });
    const client = createClient({ token: "first-token", fetch });

    await client.POST("/verify/email-otp", { body: { verificationCode: "123456" } });
    await client.GET("/user-authenticators");

    expect(requests[1]?.headers.get("Authorization")).toBe("Bearer first-token");
  });

  test("with undefined falls back to tenant auth", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ token: "first-token", tenantId: SECRET_TENANT_ID, fetch });

    client.setToken(undefined);
    await client.POST("/verify/qr-code", { body: { challengeId: "c", deviceCode: "d" } });

    expect(requests[0]?.headers.get("Authorization")).toBe(`Basic ${SECRET_TENANT_BASIC}`);
  });

  test("rejects an invalid token and keeps the old one", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ token: "first-token", fetch });

    expect(() => client.setToken("")).toThrow(InvalidOptionError);
    expect(() => client.setToken(`${SECRET_TOKEN} `)).toThrow("contains whitespace");
    await client.POST("/challenge/email-otp", { body: {} });

    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer first-token");
  });
});

describe("token function", () => {
  test("is awaited before each attempt", async () => {
    const { fetch, requests } = createRecordingFetch({}, 503);
    let resolved = 0;
    const token = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      resolved += 1;
      return `token-${resolved}`;
    });
    const client = createClient({ token, fetch, retry: { baseDelay: 1 } });

    await client.GET("/authenticators");

    expect(token).toHaveBeenCalledTimes(3);
    expect(requests.map((request) => request.headers.get("Authorization"))).toEqual([
      "Bearer token-1",
      "Bearer token-2",
      "Bearer token-3",
    ]);
  });
});

describe("per-call headers", () => {
  test("may not set Authorization", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ token: SECRET_TOKEN, fetch });

    const error = await captureRejection(() =>
      client.POST("/challenge/email-otp", { body: {}, headers: { Authorization: "Bearer other" } }),
    );

    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ option: "headers" });
    expect(requests).toHaveLength(0);
  });
});
