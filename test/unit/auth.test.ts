import { describe, expect, test, vi } from "vitest";

import { createClient, InvalidOptionError, MissingCredentialsError } from "../../src/index.js";
import { operationAuth } from "../../generated/operation-auth.js";
import { createRecordingFetch } from "../support/recording-fetch.js";

const TENANT_ID = "0f3c1a9e-5b2d-4c8e-9a71-2d6f0b8c4e13";
// base64 of "0f3c1a9e-5b2d-4c8e-9a71-2d6f0b8c4e13:", the tenant ID with an empty password.
const TENANT_BASIC = "Basic MGYzYzFhOWUtNWIyZC00YzhlLTlhNzEtMmQ2ZjBiOGM0ZTEzOg==";

// The Client API documents tenant Basic auth on passkey sign-in and QR-code challenges only.
const TENANT_AUTH_OPERATIONS = [
  "POST /challenge",
  "POST /user-authenticators/passkey/authentication-options",
  "POST /verify/passkey",
  "POST /challenge/qr-code",
  "POST /verify/qr-code",
];

describe("auth header", () => {
  test("bearer-only operation sends the token", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ token: "token-1", tenantId: TENANT_ID, fetch });

    await client.POST("/challenge/email-otp", { body: {} });

    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer token-1");
  });

  test("tenant operation prefers the token", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ token: "token-1", tenantId: TENANT_ID, fetch });

    await client.POST("/verify/passkey", { body: { challengeId: "c", authenticationCredential: {} } });

    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer token-1");
  });

  test("tenant operation without token sends Basic", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ tenantId: TENANT_ID, fetch });

    await client.POST("/user-authenticators/passkey/authentication-options", { body: {} });

    expect(requests[0]?.headers.get("Authorization")).toBe(TENANT_BASIC);
  });

  test("bearer-only operation without token is not sent", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ tenantId: TENANT_ID, fetch });

    const call = client.POST("/challenge/email-otp", { body: {} });

    await expect(call).rejects.toBeInstanceOf(MissingCredentialsError);
    await expect(call).rejects.toMatchObject({ operation: "POST /challenge/email-otp", missingOptions: ["token"] });
    await expect(call).rejects.toThrow("POST /challenge/email-otp was not sent");
    await expect(call).rejects.toThrow("Pass the `token` option");
    expect(requests).toHaveLength(0);
  });

  test("tenant operation without credentials names both options", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ fetch });

    const call = client.POST("/challenge/qr-code", { body: {} });

    await expect(call).rejects.toMatchObject({
      operation: "POST /challenge/qr-code",
      missingOptions: ["token", "tenantId"],
    });
    await expect(call).rejects.toThrow("Pass the `token` or `tenantId` option");
    expect(requests).toHaveLength(0);
  });

  test("table accepts tenant auth on exactly the documented operations", () => {
    const withBasic = Object.entries(operationAuth)
      .filter(([, methods]) => methods.includes("basic"))
      .map(([operation]) => operation);

    expect(withBasic.sort()).toEqual([...TENANT_AUTH_OPERATIONS].sort());
  });

  test("table requires a bearer token on every operation", () => {
    for (const [operation, methods] of Object.entries(operationAuth)) {
      expect(methods, operation).toContain("bearer");
      expect(methods, operation).not.toContain("anonymous");
    }
  });
});

describe("token function", () => {
  test("is called on every request", async () => {
    const { fetch, requests } = createRecordingFetch({});
    let counter = 0;
    const token = vi.fn(async () => `token-${++counter}`);
    const client = createClient({ token, fetch });

    await client.POST("/challenge/email-otp", { body: {} });
    await client.POST("/challenge/email-otp", { body: {} });

    expect(token).toHaveBeenCalledTimes(2);
    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer token-1");
    expect(requests[1]?.headers.get("Authorization")).toBe("Bearer token-2");
  });

  test("may return a string synchronously", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ token: () => "token-sync", fetch });

    await client.POST("/challenge/email-otp", { body: {} });

    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer token-sync");
  });

  test("returning undefined falls back to tenant auth", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ token: async () => undefined, tenantId: TENANT_ID, fetch });

    await client.POST("/challenge", { body: { action: "signIn" } });

    expect(requests[0]?.headers.get("Authorization")).toBe(TENANT_BASIC);
  });

  test("returning null on a bearer-only operation rejects", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ token: () => null, fetch });

    const call = client.POST("/verify/email-otp", { body: { verificationCode: "123456" } });

    await expect(call).rejects.toThrow("The `token` function returned no token.");
    expect(requests).toHaveLength(0);
  });

  test.each([
    ["an empty string", ""],
    ["a line break", "token\r\nX-Injected: 1"],
    ["a space", "Bearer token-1"],
  ])("returning %s rejects without sending", async (_case, value) => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ token: async () => value, fetch });

    const call = client.POST("/challenge/email-otp", { body: {} });

    await expect(call).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(call).rejects.toMatchObject({ option: "token" });
    expect(requests).toHaveLength(0);
  });

  test("failure leaves the client usable", async () => {
    const { fetch, requests } = createRecordingFetch({});
    const token = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error("session store offline"))
      .mockResolvedValue("token-2");
    const client = createClient({ token, fetch });

    await expect(client.POST("/challenge/email-otp", { body: {} })).rejects.toThrow("session store offline");
    const retried = await client.POST("/challenge/email-otp", { body: {} });

    expect(retried.response.status).toBe(200);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer token-2");
  });
});

describe("headers option", () => {
  test("adds headers to every request", async () => {
    const { fetch, requests } = createRecordingFetch([]);
    const client = createClient({ token: "token-1", headers: { "X-App-Version": "4.2.0" }, fetch });

    await client.GET("/authenticators");

    expect(requests[0]?.headers.get("X-App-Version")).toBe("4.2.0");
  });
});

describe("fetch option", () => {
  test("replaces the global fetch", async () => {
    const { fetch, requests } = createRecordingFetch([
      { authenticatorId: "a", verificationMethod: "SMS", isActive: true },
    ]);
    const client = createClient({ token: "token-1", fetch });

    const { data } = await client.GET("/authenticators");

    expect(requests).toHaveLength(1);
    expect(data?.[0]?.verificationMethod).toBe("SMS");
  });
});
