/**
 * Secret values that tests pass to the client, and a register of every error the tests see.
 * `test/support/scan-errors.ts` checks after each test file that none of these errors shows a
 * secret anywhere: message, `toString`, stack, own properties or `cause` chain.
 */
export const SECRET_TOKEN = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJlLXNlY3JldA";
export const SECRET_TENANT_ID = "7c1e9d2a-4b6f-4e8a-9c3d-5f0a2b8e6d41";
/** base64 of `${SECRET_TENANT_ID}:`, the Basic credentials the client builds from the tenant ID. */
export const SECRET_TENANT_BASIC = "N2MxZTlkMmEtNGI2Zi00ZThhLTljM2QtNWYwYTJiOGU2ZDQxOg==";

export const SECRETS = [SECRET_TOKEN, SECRET_TENANT_ID, SECRET_TENANT_BASIC];

const recordedErrors: unknown[] = [];

/** Registers an error (thrown or returned) for the secret scan, and returns it. */
export function recordError<Value>(error: Value): Value {
  recordedErrors.push(error);
  return error;
}

/** Runs a call that must reject, registers what it threw, and returns it. */
export async function captureRejection(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return recordError(error);
  }

  throw new Error("The call resolved, but the test expected it to reject.");
}

export function takeRecordedErrors(): unknown[] {
  return recordedErrors.splice(0);
}

/** Lists every text that an error exposes: message, string form, stack, JSON, own properties and causes. */
export function exposedTexts(error: unknown, seen = new Set<unknown>()): string[] {
  if (typeof error !== "object" || error === null) return [String(error)];
  if (seen.has(error)) return [];
  seen.add(error);

  const texts = [String(error)];
  if (error instanceof Error) texts.push(error.message, error.stack ?? "");

  try {
    texts.push(JSON.stringify(error));
  } catch {
    // A value with a cycle cannot be serialised; its properties are still read below.
  }

  for (const key of Reflect.ownKeys(error)) {
    const value = (error as Record<PropertyKey, unknown>)[key];
    texts.push(...exposedTexts(value, seen));
  }

  return texts;
}
