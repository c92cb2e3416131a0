// Registered in vitest.config.ts for every test file. It wraps `createClient` so that every error
// the client throws, returns as `error` or rejects with is recorded, whichever test produced it,
// and checks after each file that none of them shows a secret test value anywhere.
import { afterAll, expect, vi } from "vitest";

import { exposedTexts, recordError, SECRETS, takeRecordedErrors } from "./secrets.js";

vi.mock("../../src/client.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/client.js")>();
  return { ...original, createClient: recordingCreateClient(original.createClient) };
});

type CreateClient = typeof import("../../src/client.js").createClient;

function recordingCreateClient(createClient: CreateClient): CreateClient {
  return (options) => {
    let client: ReturnType<CreateClient>;
    try {
      client = createClient(options);
    } catch (error) {
      throw recordError(error);
    }

    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "setToken"] as const) {
      const original = client[method] as (...args: unknown[]) => unknown;
      (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
        recordOutcome(() => original(...args));
    }

    return client;
  };
}

function recordOutcome(call: () => unknown): unknown {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    throw recordError(error);
  }

  if (!(result instanceof Promise)) return result;

  return result.then(
    (value: unknown) => {
      const error = (value as { error?: unknown } | undefined)?.error;
      if (error !== undefined) recordError(error);
      return value;
    },
    (error: unknown) => {
      throw recordError(error);
    },
  );
}

afterAll(() => {
  for (const error of takeRecordedErrors()) {
    const texts = exposedTexts(error).join("\n");

    for (const secret of SECRETS) {
      expect(texts.includes(secret), `${String(error)} exposes a secret test value`).toBe(false);
    }
  }
});
