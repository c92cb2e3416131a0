import { describe, expect, test } from "vitest";

import { createClient, InvalidOptionError, type ClientOptions } from "../../src/index.js";
import { SECRET_TENANT_ID as SECRET_TENANT, SECRET_TOKEN } from "../support/secrets.js";

/** Calls createClient with options that bypass the types, as a JavaScript caller could. */
function createUnchecked(options: unknown) {
  return () => createClient(options as ClientOptions);
}

describe("createClient options", () => {
  test.each([
    [
      "region",
      { region: "us-east-1" },
      'The `region` option "us-east-1" is not a known region. Use one of "us", "eu", "au", "ca"',
    ],
    ["region", { region: "EU" }, "is not a known region"],
    ["region", { region: "xx", baseUrl: "http://127.0.0.1:4010" }, "is not a known region"],
    ["token", { token: "" }, "The `token` option is empty"],
    ["token", { token: 42 }, "The `token` option must be a string or a function, but it is of type number"],
    ["token", { token: `${SECRET_TOKEN}\n` }, "contains whitespace, a control character"],
    ["token", { token: `Bearer ${SECRET_TOKEN}` }, 'without "Bearer "'],
    ["token", { token: `${SECRET_TOKEN}\u0000` }, "control character"],
    ["tenantId", { tenantId: "" }, "The `tenantId` option is empty"],
    ["tenantId", { tenantId: `${SECRET_TENANT}:` }, "contains whitespace, a colon"],
    ["tenantId", { tenantId: ` ${SECRET_TENANT}` }, "contains whitespace, a colon"],
    ["tenantId", { tenantId: 7 }, "must be a string, but it is of type number"],
    ["baseUrl", { baseUrl: "api.authsignal.com/v1/client" }, "is not an absolute URL"],
    ["baseUrl", { baseUrl: "ftp://127.0.0.1/v1/client" }, "uses ftp, but credentials are only sent over https"],
    ["baseUrl", { baseUrl: "localhost:4010" }, "has no scheme"],
    [
      "baseUrl",
      { baseUrl: "http://api.authsignal.com/v1/client" },
      "uses http, but credentials are only sent over https",
    ],
    [
      "baseUrl",
      { baseUrl: "http://10.0.0.8:4010" },
      "plain http is allowed only for loopback hosts (localhost, 127.0.0.0/8 and [::1])",
    ],
    ["baseUrl", { baseUrl: `https://user:${SECRET_TOKEN}@proxy.example.com` }, "contains a user name or password"],
    ["baseUrl", { baseUrl: "https://proxy.example.com/authsignal?tenant=1" }, "contains a query or a fragment"],
    ["baseUrl", { baseUrl: "https://proxy.example.com/authsignal#top" }, "contains a query or a fragment"],
    ["baseUrl", { baseUrl: "https://proxy.example.com/authsignal?" }, "contains a query or a fragment"],
    ["headers", { headers: { authorization: `Bearer ${SECRET_TOKEN}` } }, "The `headers` option sets Authorization"],
    ["headers", { headers: new Headers({ Authorization: "Basic x" }) }, "The `headers` option sets Authorization"],
    ["fetch", { fetch: "fetch" }, "The `fetch` option must be a function"],
    ["options", null, "createClient expects an options object, but it received null"],
  ])("rejects a bad %s: %j", (option, options, message) => {
    const create = createUnchecked(options);

    expect(create).toThrow(InvalidOptionError);
    expect(create).toThrow(message);
    expect(create).toThrow(expect.objectContaining({ option }));
  });

  test("error messages never contain the token or tenant ID", () => {
    const badOptions: unknown[] = [
      { token: `${SECRET_TOKEN} ` },
      { token: `Bearer ${SECRET_TOKEN}` },
      { tenantId: `${SECRET_TENANT}:` },
      { tenantId: `${SECRET_TENANT}\t` },
      { headers: { Authorization: `Bearer ${SECRET_TOKEN}` } },
      { baseUrl: `https://user:${SECRET_TOKEN}@proxy.example.com` },
      { baseUrl: `user:${SECRET_TOKEN}@proxy.example.com` },
    ];

    for (const options of badOptions) {
      let thrown: unknown;
      try {
        createUnchecked(options)();
      } catch (error) {
        thrown = error;
      }

      expect(thrown).toBeInstanceOf(InvalidOptionError);
      const text = `${String(thrown)} ${(thrown as Error).stack ?? ""} ${JSON.stringify(thrown)}`;
      expect(text).not.toContain(SECRET_TOKEN);
      expect(text).not.toContain(SECRET_TENANT);
    }
  });

  test.each([
    "http://127.0.0.1:4010",
    "http://localhost:4010/v1/client/",
    "http://127.8.9.10",
    "http://[::1]:4010",
    "https://proxy.example.com",
  ])("accepts the base URL %s", (baseUrl) => {
    expect(() => createClient({ baseUrl })).not.toThrow();
  });

  test("accepts no options at all", () => {
    expect(() => createClient()).not.toThrow();
  });
});
