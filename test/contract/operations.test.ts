// Contract tests: every operation of spec/client-api.json, called through the client against a
// Prism mock started from that same spec. Prism checks each request (path, method, auth header,
// body) against the spec, and each response body is checked against the spec's schema here.
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { listOperations } from "../../scripts/lib/openapi.js";
import { startPrism, type PrismServer } from "../../scripts/lib/prism.js";
import { createClient, type AuthsignalClient } from "../../src/index.js";
import { createResponseValidator } from "../support/response-validator.js";
import { spec } from "../support/spec.js";

type CallResult = { data?: unknown; error?: unknown; response: Response };

const CHALLENGE_ID = "5d8f6f3e-2b8c-4b57-9d1e-7a3c0e6b9f21";

/**
 * One typed call per operation, keyed as `METHOD /path`. The bodies type-check against the
 * generated types, and Prism rejects any that does not match the spec.
 */
const CALLS: Record<string, (client: AuthsignalClient) => Promise<CallResult>> = {
  "GET /user-authenticators": (client) => client.GET("/user-authenticators"),
  "GET /authenticators": (client) => client.GET("/authenticators"),
  "POST /user-authenticators/sms": (client) =>
    client.POST("/user-authenticators/sms", { body: { phoneNumber: "+64211234567", smsChannel: "DEFAULT" } }),
  "POST /challenge/sms": (client) => client.POST("/challenge/sms", { body: { smsChannel: "WHATSAPP" } }),
  "POST /verify/sms": (client) => client.POST("/verify/sms", { body: { verificationCode: "123456" } }),
  "POST /challenge/whatsapp": (client) => client.POST("/challenge/whatsapp"),
  "POST /verify/whatsapp": (client) => client.POST("/verify/whatsapp", { body: { verificationCode: "123456" } }),
  "POST /user-authenticators/email-otp": (client) =>
    client.POST("/user-authenticators/email-otp", { body: { email: "ada@example.com" } }),
  "POST /challenge/email-otp": (client) => client.POST("/challenge/email-otp", { body: {} }),
  "POST /verify/email-otp": (client) => client.POST("/verify/email-otp", { body: { verificationCode: "123456" } }),
  "POST /user-authenticators/email-magic-link": (client) =>
    client.POST("/user-authenticators/email-magic-link", { body: { email: "ada@example.com" } }),
  "POST /challenge/email-magic-link": (client) => client.POST("/challenge/email-magic-link", { body: {} }),
  "POST /verify/email-magic-link/finalize": (client) =>
    client.POST("/verify/email-magic-link/finalize", { body: { challengeId: CHALLENGE_ID } }),
  "POST /user-authenticators/totp": (client) => client.POST("/user-authenticators/totp"),
  "POST /verify/totp": (client) => client.POST("/verify/totp", { body: { verificationCode: "123456" } }),
  "POST /user-authenticators/passkey/registration-options": (client) =>
    client.POST("/user-authenticators/passkey/registration-options", { body: { username: "ada@example.com" } }),
  "POST /user-authenticators/passkey": (client) =>
    client.POST("/user-authenticators/passkey", {
      body: { challengeId: CHALLENGE_ID, registrationCredential: { id: "credential-1", type: "public-key" } },
    }),
  "POST /challenge": (client) => client.POST("/challenge", { body: { action: "signInWithPasskey" } }),
  "POST /user-authenticators/passkey/authentication-options": (client) =>
    client.POST("/user-authenticators/passkey/authentication-options", { body: { challengeId: CHALLENGE_ID } }),
  "POST /verify/passkey": (client) =>
    client.POST("/verify/passkey", {
      body: { challengeId: CHALLENGE_ID, authenticationCredential: { id: "credential-1", type: "public-key" } },
    }),
  "POST /challenge/push": (client) => client.POST("/challenge/push", { body: {} }),
  "POST /verify/push": (client) => client.POST("/verify/push", { body: { challengeId: CHALLENGE_ID } }),
  "POST /challenge/qr-code": (client) => client.POST("/challenge/qr-code", { body: { action: "signInWithQrCode" } }),
  "POST /verify/qr-code": (client) =>
    client.POST("/verify/qr-code", { body: { challengeId: CHALLENGE_ID, deviceCode: "device-code-1" } }),
};

const operations = listOperations(spec);
const validateResponse = createResponseValidator(spec);

let prism: PrismServer;

beforeAll(async () => {
  prism = await startPrism();
});

afterAll(async () => {
  await prism?.stop();
});

describe("contract", () => {
  test("table and spec list the same operations", () => {
    const specKeys = operations.map((operation) => operation.key).sort();

    expect(Object.keys(CALLS).sort()).toEqual(specKeys);
  });

  test("every call in the table is a spec operation", () => {
    const specKeys = new Set(operations.map((operation) => operation.key));
    const unknown = Object.keys(CALLS).filter((key) => !specKeys.has(key));

    expect(unknown).toEqual([]);
  });

  test.each(operations.map((operation) => [operation.key, operation] as const))(
    "%s returns 2xx with a valid body",
    async (key, operation) => {
      const call = CALLS[key];
      if (call === undefined)
        throw new Error(`${key} is in the spec but has no call in CALLS; add one to test/contract/operations.test.ts.`);

      const client = createClient({ baseUrl: prism.url, token: "contract-test-token" });
      const { data, error, response } = await call(client);

      expect(error, `${key} answered ${response.status}: ${JSON.stringify(error)}`).toBeUndefined();
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(300);
      expect(validateResponse(operation.path, operation.method, String(response.status), data)).toEqual([]);
    },
  );

  const tenantOperations = operations.filter(({ operation }) =>
    (operation.security ?? []).some((requirement) => "tenantAuth" in requirement),
  );

  test("five operations accept tenant auth", () => {
    expect(tenantOperations).toHaveLength(5);
  });

  test.each(tenantOperations.map((operation) => [operation.key, operation] as const))(
    "%s accepts tenant Basic auth",
    async (key, operation) => {
      const client = createClient({ baseUrl: prism.url, tenantId: "0f3c1a9e-5b2d-4c8e-9a71-2d6f0b8c4e13" });
      const { data, error, response } = await (CALLS[key] as (client: AuthsignalClient) => Promise<CallResult>)(client);

      expect(error, `${key} answered ${response.status}: ${JSON.stringify(error)}`).toBeUndefined();
      expect(response.status).toBe(200);
      expect(validateResponse(operation.path, operation.method, "200", data)).toEqual([]);
    },
  );
});
