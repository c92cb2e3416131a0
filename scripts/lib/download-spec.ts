import { readFile, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";

import { compareOperations, type OperationChanges } from "./compare-operations.js";
import {
  assertHttpUrl,
  assertTimeoutMs,
  displayUrl,
  fetchSpecDocument,
  isErrnoException,
  SpecDownloadError,
} from "./fetch-spec.js";
import { assertOpenApiDocument, InvalidOpenApiDocumentError, listOperations, type OpenApiDocument } from "./openapi.js";
import {
  errorMessage,
  formatJson,
  recordPathFor,
  sha256Hex,
  writeFileAtomically,
  writeSpecRecord,
} from "./spec-record.js";

export interface DownloadSpecOptions {
  /** An http: or https: URL. */
  url: URL;
  /** The spec file to compare with and replace. Its record is `<name>.source.json` in the same folder. */
  specPath: string;
  /** Limit in milliseconds for the whole download: a positive integer no larger than MAX_TIMEOUT_MS. */
  timeoutMs: number;
}

/** Result of comparing the new document with the spec file that was there before. */
export type PreviousSpecComparison =
  | { kind: "compared"; changes: OperationChanges }
  | { kind: "no-previous-spec" }
  /** The previous file is not a valid OpenAPI 3.x document, so its operations cannot be listed. */
  | { kind: "previous-spec-invalid"; problem: string };

export type DownloadSpecResult =
  | { status: "unchanged"; specPath: string; operationCount: number }
  | {
      status: "updated";
      specPath: string;
      recordPath: string;
      operationCount: number;
      /** SHA-256 of the bytes written to the spec file, as stored in the record. */
      sha256: string;
      comparison: PreviousSpecComparison;
    };

/**
 * Downloads the OpenAPI document, checks it, and replaces the spec file and its record when the
 * formatted document differs from the file's bytes. Returns what changed.
 *
 * Throws SpecDownloadError on any failure. The spec file and the record then keep their previous
 * bytes, except when writing the record fails and putting back the previous spec fails too. The
 * error's `filesUnchanged` and message state which case occurred.
 */
export async function downloadSpec(options: DownloadSpecOptions): Promise<DownloadSpecResult> {
  const { url, specPath, timeoutMs } = options;
  assertHttpUrl(url);
  assertTimeoutMs(timeoutMs);

  const previousBytes = await readPreviousSpec(specPath);

  const document = await fetchSpecDocument(url, timeoutMs);
  const content = formatJson(document);
  const contentBytes = Buffer.from(content, "utf8");
  const operationCount = listOperations(document).length;

  if (previousBytes !== undefined && previousBytes.equals(contentBytes)) {
    return { status: "unchanged", specPath, operationCount };
  }

  const comparison = compareWithPrevious(previousBytes, document);
  const sha256 = sha256Hex(contentBytes);
  const recordPath = recordPathFor(specPath);

  await replaceSpecAndRecord({ specPath, recordPath, content, previousBytes, url, sha256 });

  return { status: "updated", specPath, recordPath, operationCount, sha256, comparison };
}

/** Returns the spec file's bytes, or undefined when the file does not exist yet but its folder does. */
async function readPreviousSpec(specPath: string): Promise<Buffer | undefined> {
  try {
    return await readFile(specPath);
  } catch (error) {
    if (!isErrnoException(error) || error.code !== "ENOENT") {
      const message = `Could not read the current spec ${specPath}: ${errorMessage(error)}`;
      throw new SpecDownloadError("file-system", message, { cause: error });
    }
  }

  const folder = dirname(specPath);
  const folderExists = await stat(folder).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!folderExists) {
    throw new SpecDownloadError(
      "file-system",
      `The folder ${folder} for the spec file does not exist. Create it or choose a spec path in an existing folder.`,
    );
  }
  return undefined;
}

function compareWithPrevious(previousBytes: Buffer | undefined, document: OpenApiDocument): PreviousSpecComparison {
  if (previousBytes === undefined) return { kind: "no-previous-spec" };

  try {
    const previous: unknown = JSON.parse(previousBytes.toString("utf8"));
    assertOpenApiDocument(previous);
    return { kind: "compared", changes: compareOperations(previous, document) };
  } catch (error) {
    if (!(error instanceof SyntaxError) && !(error instanceof InvalidOpenApiDocumentError)) throw error;
    return { kind: "previous-spec-invalid", problem: error.message };
  }
}

interface ReplaceSpecAndRecordInput {
  specPath: string;
  recordPath: string;
  content: string;
  previousBytes: Buffer | undefined;
  url: URL;
  sha256: string;
}

/** Writes the spec, then its record. If the record cannot be written, puts the previous spec back. */
async function replaceSpecAndRecord(input: ReplaceSpecAndRecordInput): Promise<void> {
  const { specPath, recordPath, content, previousBytes, url, sha256 } = input;

  try {
    await writeFileAtomically(specPath, content);
  } catch (error) {
    throw new SpecDownloadError("file-system", `Could not write the spec ${specPath}: ${errorMessage(error)}`, {
      cause: error,
    });
  }

  try {
    await writeSpecRecord(recordPath, {
      url: displayUrl(url),
      origin: "downloaded",
      recordedAt: new Date().toISOString(),
      sha256,
    });
  } catch (error) {
    const restoreProblem = await restorePreviousSpec(specPath, previousBytes);
    const specState = describeRestoredSpec(specPath, previousBytes !== undefined, restoreProblem);
    throw new SpecDownloadError(
      "file-system",
      `Could not write the spec record ${recordPath}: ${errorMessage(error)}. ${specState}`,
      { cause: error, filesUnchanged: restoreProblem === undefined },
    );
  }
}

function describeRestoredSpec(specPath: string, hadPreviousSpec: boolean, restoreProblem: string | undefined): string {
  if (restoreProblem !== undefined) {
    return `Restoring ${specPath} also failed (${restoreProblem}), so it now contains the new document.`;
  }
  return hadPreviousSpec ? `The previous ${specPath} was put back.` : `The new ${specPath} was removed again.`;
}

/** Puts the previous spec bytes back, or removes the spec when there was none. Returns why that failed, if it did. */
async function restorePreviousSpec(specPath: string, previousBytes: Buffer | undefined): Promise<string | undefined> {
  try {
    if (previousBytes === undefined) {
      await rm(specPath, { force: true });
    } else {
      await writeFileAtomically(specPath, previousBytes);
    }
    return undefined;
  } catch (error) {
    return errorMessage(error);
  }
}
