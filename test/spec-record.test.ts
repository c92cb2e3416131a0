import { describe, expect, it } from "vitest";

import { SPEC_PATH } from "../scripts/lib/paths.js";
import { hashFile, readSpecRecord, recordPathFor } from "../scripts/lib/spec-record.js";

describe("committed spec record", () => {
  // Fails after a hand edit of spec/client-api.json until `npm run spec:record -- --note "..."` is run.
  it("matches the spec's sha256", async () => {
    const record = await readSpecRecord(recordPathFor(SPEC_PATH));

    expect(await hashFile(SPEC_PATH)).toBe(record.sha256);
  });
});
