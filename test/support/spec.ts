import { readFileSync } from "node:fs";

import type { OpenApiDocument } from "../../scripts/lib/openapi.js";
import { SPEC_PATH } from "../../scripts/lib/paths.js";

/** The committed spec, read once per test file. */
export const spec = JSON.parse(readFileSync(SPEC_PATH, "utf8")) as OpenApiDocument;
