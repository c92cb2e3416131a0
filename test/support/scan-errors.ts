// Registered in vitest.config.ts: after each test file, every error that its tests registered
// with `recordError` or `captureRejection` is checked for the secret values.
import { afterAll, expect } from "vitest";

import { exposedTexts, SECRETS, takeRecordedErrors } from "./secrets.js";

afterAll(() => {
  for (const error of takeRecordedErrors()) {
    const texts = exposedTexts(error).join("\n");

    for (const secret of SECRETS) {
      expect(texts.includes(secret), `${String(error)} exposes a secret test value`).toBe(false);
    }
  }
});
