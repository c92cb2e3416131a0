import { describe, expect, test } from "vitest";

import { createClient, REGION_BASE_URLS, type Region } from "../../src/index.js";
import { createRecordingFetch } from "../support/recording-fetch.js";

describe("region", () => {
  const cases: [Region, string][] = [
    ["us", "https://api.authsignal.com/v1/client/authenticators"],
    ["eu", "https://eu.api.authsignal.com/v1/client/authenticators"],
    ["au", "https://au.api.authsignal.com/v1/client/authenticators"],
    ["ca", "https://ca.api.authsignal.com/v1/client/authenticators"],
  ];

  test.each(cases)("%s sends to its base URL", async (region, expectedUrl) => {
    const { fetch, requests } = createRecordingFetch([]);
    const client = createClient({ region, token: "token-1", fetch });

    await client.GET("/authenticators");

    expect(requests[0]?.url).toBe(expectedUrl);
  });

  test("defaults to us", async () => {
    const { fetch, requests } = createRecordingFetch([]);
    const client = createClient({ token: "token-1", fetch });

    await client.GET("/authenticators");

    expect(requests[0]?.url).toBe(`${REGION_BASE_URLS.us}/authenticators`);
  });

  test("lists exactly four regions", () => {
    expect(Object.keys(REGION_BASE_URLS).sort()).toEqual(["au", "ca", "eu", "us"]);
  });
});

describe("baseUrl", () => {
  test("wins over region", async () => {
    const { fetch, requests } = createRecordingFetch([]);
    const client = createClient({ region: "eu", baseUrl: "http://127.0.0.1:4010", token: "token-1", fetch });

    await client.GET("/authenticators");

    expect(requests[0]?.url).toBe("http://127.0.0.1:4010/authenticators");
  });

  test.each([
    ["no trailing slash", "https://proxy.example.com/authsignal"],
    ["one trailing slash", "https://proxy.example.com/authsignal/"],
    ["several trailing slashes", "https://proxy.example.com/authsignal///"],
  ])("joins with %s", async (_case, baseUrl) => {
    const { fetch, requests } = createRecordingFetch({});
    const client = createClient({ baseUrl, token: "token-1", fetch });

    await client.POST("/challenge/email-otp", { body: {} });

    expect(requests[0]?.url).toBe("https://proxy.example.com/authsignal/challenge/email-otp");
  });
});
