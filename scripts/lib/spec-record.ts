import { createHash, randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";

import { assertOpenApiDocument, InvalidOpenApiDocumentError, type OpenApiDocument } from "./openapi.js";
import { displayPath } from "./paths.js";

/** URL of the upstream document. `AUTHSIGNAL_SPEC_URL` overrides it. */
export const DEFAULT_SPEC_URL = "https://docs.authsignal.com/client-api.json";

export type SpecOrigin = "downloaded" | "handwritten";

/** Provenance of the spec snapshot, stored next to it as `<name>.source.json`. */
export interface SpecRecord {
  /** The URL the snapshot was downloaded from, or the upstream URL whose document a hand-written snapshot replaces. */
  url: string;
  origin: SpecOrigin;
  /** ISO 8601 time at which the record was written. */
  recordedAt: string;
  /** Lower-case hex SHA-256 of the spec file's exact bytes. */
  sha256: string;
  /** Free text, for example why the snapshot was edited by hand. */
  note?: string;
}

/** A record file that is missing, is not JSON or lacks a required field. */
export class SpecRecordError extends Error {
  override name = "SpecRecordError";
}

/** A spec file that cannot be read, is not an OpenAPI 3.x document, or is not in canonical form. */
export class SpecFileError extends Error {
  override name = "SpecFileError";
}

/** Returns the record path for a spec path: `spec/client-api.json` gives `spec/client-api.source.json`. */
export function recordPathFor(specPath: string): string {
  const fileName = basename(specPath);
  const stem = extname(fileName) === ".json" ? fileName.slice(0, -".json".length) : fileName;
  return join(dirname(specPath), `${stem}.source.json`);
}

/** Returns the lower-case hex SHA-256 of the bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Reads a file and returns the lower-case hex SHA-256 of its exact bytes. */
export async function hashFile(path: string): Promise<string> {
  return sha256Hex(await readFile(path));
}

/** Reads and checks a record file. Throws SpecRecordError naming the file and the problem. */
export async function readSpecRecord(recordPath: string): Promise<SpecRecord> {
  let text: string;
  try {
    text = await readFile(recordPath, "utf8");
  } catch (error) {
    const hint =
      error instanceof Error && (error as NodeJS.ErrnoException).code === "ENOENT"
        ? " Create it with `npm run spec:download`, or for a hand-written spec with" +
          ' `npm run spec:record -- --note "..."`.'
        : "";
    throw new SpecRecordError(`Could not read the spec record ${recordPath}: ${errorMessage(error)}.${hint}`, {
      cause: error,
    });
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SpecRecordError(`The spec record ${recordPath} is not valid JSON: ${errorMessage(error)}`, {
      cause: error,
    });
  }

  return parseSpecRecord(value, recordPath);
}

function parseSpecRecord(value: unknown, recordPath: string): SpecRecord {
  const invalid = (problem: string) => new SpecRecordError(`The spec record ${recordPath} is invalid: ${problem}.`);

  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid("expected a JSON object");
  }
  const fields = value as Record<string, unknown>;

  const { url, origin, recordedAt, sha256, note } = fields;
  if (typeof url !== "string") throw invalid(`"url" must be a string`);
  if (origin !== "downloaded" && origin !== "handwritten") {
    throw invalid(`"origin" must be "downloaded" or "handwritten"`);
  }
  if (typeof recordedAt !== "string" || Number.isNaN(Date.parse(recordedAt))) {
    throw invalid(`"recordedAt" must be an ISO 8601 time`);
  }
  if (typeof sha256 !== "string" || !/^[0-9a-f]{64}$/.test(sha256)) {
    throw invalid(`"sha256" must be 64 lower-case hex digits`);
  }
  if (note !== undefined && typeof note !== "string") throw invalid(`"note" must be a string when present`);

  const record: SpecRecord = { url, origin, recordedAt, sha256 };
  if (note !== undefined) record.note = note;
  return record;
}

/**
 * Reads the spec file and checks that it is an OpenAPI 3.x document in canonical form, that is
 * byte for byte `formatJson(document)`. Returns the bytes and the parsed document. Throws
 * SpecFileError naming the file and the first problem.
 */
export async function readCanonicalSpec(specPath: string): Promise<{ bytes: Buffer; document: OpenApiDocument }> {
  const shownPath = displayPath(specPath);

  let bytes: Buffer;
  try {
    bytes = await readFile(specPath);
  } catch (error) {
    throw new SpecFileError(`Could not read the spec ${shownPath}: ${errorMessage(error)}`, { cause: error });
  }

  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new SpecFileError(`The spec ${shownPath} is not valid UTF-8 JSON: ${errorMessage(error)}`, { cause: error });
  }

  try {
    assertOpenApiDocument(document);
  } catch (error) {
    if (!(error instanceof InvalidOpenApiDocumentError)) throw error;
    throw new SpecFileError(`The spec ${shownPath} is not a usable OpenAPI 3.x document: ${error.message}.`, {
      cause: error,
    });
  }

  // Compare bytes, not decoded text, because the decoder drops a leading byte order mark.
  const canonical = Buffer.from(formatJson(document), "utf8");
  if (!bytes.equals(canonical)) {
    const line = firstDifferentLine(bytes.toString("utf8"), canonical.toString("utf8"));
    throw new SpecFileError(
      `The spec ${shownPath} is not in canonical form: line ${line} differs from ` +
        `JSON.stringify(document, null, 2) followed by a newline. Reformat it, for example with\n` +
        `  node -e 'const fs = require("node:fs"); const p = process.argv[1]; ` +
        `fs.writeFileSync(p, JSON.stringify(JSON.parse(fs.readFileSync(p, "utf8")), null, 2) + "\\n")' ${shownPath}\n` +
        "then review the diff and run this command again.",
    );
  }

  return { bytes, document };
}

/** Returns the 1-based number of the first line that differs between two texts. */
function firstDifferentLine(actual: string, expected: string): number {
  const actualLines = actual.split("\n");
  const expectedLines = expected.split("\n");

  let index = 0;
  while (index < actualLines.length && index < expectedLines.length && actualLines[index] === expectedLines[index]) {
    index += 1;
  }
  return index + 1;
}

/** Writes the record as formatted JSON, atomically, so a failed write leaves the old record in place. */
export async function writeSpecRecord(recordPath: string, record: SpecRecord): Promise<void> {
  await writeFileAtomically(recordPath, formatJson(record));
}

/** Formats a JSON value the way the repository stores JSON files: two-space indent and a final newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/**
 * Replaces a file's content atomically: writes a temporary file in the same folder, then renames
 * it over the target. Readers see either the old or the new content, never a partial file. The
 * temporary file is removed if any step fails.
 */
export async function writeFileAtomically(path: string, content: string | Uint8Array): Promise<void> {
  // The temporary file must be on the same file system as the target for rename to be atomic.
  const temporaryPath = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);

  try {
    await writeFile(temporaryPath, content, { flag: "wx" });
    await rename(temporaryPath, path);
  } catch (error) {
    // The write or rename error is the one to report, so a failed clean-up does not replace it.
    await rm(temporaryPath, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Returns an error's message, or the value as a string when something other than an Error was thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
