import { describe, expect, it } from "vitest";

import { DEFAULT_SPEC_PATH, hashFile, readSpecRecord, recordPathFor } from "../scripts/lib/spec-record.js";

describe("committed spec record", () => {
  // Fails after a hand edit of spec/client-api.json until `npm run spec:record -- --note "..."` is run.
  it("matches the spec's sha256", async () => {
    const record = await readSpecRecord(recordPathFor(DEFAULT_SPEC_PATH));

    expect(await hashFile(DEFAULT_SPEC_PATH)).toBe(record.sha256);
  });
});
