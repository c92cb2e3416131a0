import { describe, expect, test } from "vitest";

import { ApiError, createClient } from "../../src/index.js";
import { SECRET_TOKEN } from "../support/secrets.js";

/** Creates a client whose every request gets this status, body and headers. */
function clientAnswering(status: number, body: string, headers: Record<string, string> = {}) {
  const fetch = async () => new Response(body, { status, headers });
  return createClient({ token: SECRET_TOKEN, fetch, retry: false });
}

describe("ApiError", () => {
  test("keeps a truncated error body as raw text", async () => {
    const body = '{"errorCode":"invalid_requ';
    const { error } = await clientAnswering(500, body, { "Content-Type": "application/json" }).POST("/challenge/sms");

    expect(error).toBeInstanceOf(ApiError);
    expect(error?.rawBody).toBe(body);
    expect(error?.body).toBeUndefined();
    expect(error?.errorCode).toBeUndefined();
  });

  test("reads errorCode and errorDescription", async () => {
    const body = JSON.stringify({ errorCode: "invalid_request", errorDescription: "verificationCode is required" });
    const { error } = await clientAnswering(400, body).POST("/verify/sms", { body: { verificationCode: "" } });

    expect(error?.status).toBe(400);
    expect(error?.errorCode).toBe("invalid_request");
    expect(error?.errorDescription).toBe("verificationCode is required");
    expect(error?.body).toEqual({ errorCode: "invalid_request", errorDescription: "verificationCode is required" });
    expect(error?.rawBody).toBeUndefined();
    expect(error?.message).toBe(
      "POST https://api.authsignal.com/v1/client/verify/sms failed with HTTP 400: invalid_request (verificationCode is required).",
    );
  });

  test("names the deprecated error field when errorCode is missing", async () => {
    const { error } = await clientAnswering(401, JSON.stringify({ error: "unauthorized" })).GET("/authenticators");

    expect(error?.errorCode).toBeUndefined();
    expect(error?.message).toContain("failed with HTTP 401: unauthorized.");
  });

  test("keeps a JSON body that is not an object", async () => {
    const { error } = await clientAnswering(400, "[1,2]").GET("/authenticators");

    expect(error?.body).toEqual([1, 2]);
    expect(error?.errorCode).toBeUndefined();
  });

  test("ignores fields that are not strings", async () => {
    const { error } = await clientAnswering(400, JSON.stringify({ errorCode: 42, errorDescription: null })).GET(
      "/authenticators",
    );

    expect(error?.errorCode).toBeUndefined();
    expect(error?.errorDescription).toBeUndefined();
  });

  test("is an Error a caller may throw", async () => {
    const { error } = await clientAnswering(429, JSON.stringify({ errorCode: "too_many_requests" })).GET(
      "/authenticators",
    );

    expect(error).toBeInstanceOf(Error);
    expect(error?.name).toBe("ApiError");
    expect(() => {
      throw error;
    }).toThrow("too_many_requests");
  });
});
