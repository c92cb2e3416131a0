// The secret scan in test/support/scan-errors.ts is only as good as `exposedTexts`, so these
// tests check that it finds a secret wherever an error could carry one.
import { describe, expect, test } from "vitest";

import { exposedTexts, SECRET_TOKEN } from "../support/secrets.js";

function exposes(error: unknown): boolean {
  return exposedTexts(error).some((text) => text.includes(SECRET_TOKEN));
}

describe("exposedTexts", () => {
  test("finds a secret in the message", () => {
    expect(exposes(new Error(`token ${SECRET_TOKEN} rejected`))).toBe(true);
  });

  test("finds a secret in a cause chain", () => {
    const error = new Error("outer", { cause: new Error("middle", { cause: { header: `Bearer ${SECRET_TOKEN}` } }) });

    expect(exposes(error)).toBe(true);
  });

  test("finds a secret in a hidden property", () => {
    const error = new Error("plain");
    Object.defineProperty(error, "request", { value: { authorization: SECRET_TOKEN }, enumerable: false });

    expect(exposes(error)).toBe(true);
  });

  test("survives a cycle", () => {
    const error = new Error("plain") as Error & { self?: unknown };
    error.self = error;

    expect(exposes(error)).toBe(false);
  });
});
