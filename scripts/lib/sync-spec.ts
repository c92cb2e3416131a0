import { readFile } from "node:fs/promises";
import { join } from "node:path";

import { renderChangeset } from "./changeset.js";
import { classifyChanges, type Bump, type SpecChange } from "./classify-changes.js";
import { displayUrl, fetchSpecDocument } from "./fetch-spec.js";
import { generateFiles } from "./generate-files.js";
import { assertOpenApiDocument } from "./openapi.js";
import { formatJson, recordPathFor, sha256Hex } from "./spec-record.js";
import { writeFilesTogether, type FileWrite } from "./write-files.js";

export interface SyncSpecOptions {
  url: URL;
  /** The spec's name in the generated headers, such as `spec/client-api.json`. */
  specName: string;
  timeoutMs: number;
  specPath: string;
  generatedDir: string;
  changesetDir: string;
  packageJsonPath: string;
}

export type SyncSpecResult =
  | { status: "unchanged" }
  | { status: "changed"; bump: Bump; changes: SpecChange[]; changesetPath: string; writtenPaths: string[] };

/** A failure of the sync itself, after the download succeeded. Nothing has been written when it is thrown. */
export class SpecSyncError extends Error {
  override name = "SpecSyncError";
}

/**
 * Downloads the upstream spec and, when it differs from the committed one, writes the new spec,
 * its record, everything generated from it and a changeset, as one change. Download failures
 * throw `SpecDownloadError` and every other failure `SpecSyncError` or a file error, and in every
 * case the committed files keep their previous bytes.
 */
export async function syncSpec(options: SyncSpecOptions): Promise<SyncSpecResult> {
  const committed = await readCommitted(options);
  const document = await fetchSpecDocument(options.url, options.timeoutMs);

  const content = formatJson(document);
  if (committed.specBytes.equals(Buffer.from(content, "utf8"))) return { status: "unchanged" };

  const sha256 = sha256Hex(Buffer.from(content, "utf8"));
  const { bump, changes } = classifyChanges(committed.spec, document, committed.packageVersion);
  const generated = await generateFiles(options.specName, Buffer.from(content, "utf8"));
  const changesetPath = join(options.changesetDir, `spec-sync-${sha256.slice(0, 12)}.md`);

  const record = { url: displayUrl(options.url), origin: "downloaded", recordedAt: new Date().toISOString(), sha256 };
  const files: FileWrite[] = [
    { path: options.specPath, content },
    { path: recordPathFor(options.specPath), content: formatJson(record) },
    ...[...generated].map(([name, fileContent]) => ({ path: join(options.generatedDir, name), content: fileContent })),
    { path: changesetPath, content: renderChangeset(committed.packageName, bump, changes, sha256) },
  ];

  await writeFilesTogether(files);
  return { status: "changed", bump, changes, changesetPath, writtenPaths: files.map((file) => file.path) };
}

/** Reads what the sync compares against, before anything is downloaded, so a broken checkout fails first. */
async function readCommitted(options: SyncSpecOptions) {
  const specBytes = await readFile(options.specPath).catch((error: unknown) => {
    throw new SpecSyncError(`Could not read the committed spec ${options.specPath}: ${String(error)}`, {
      cause: error,
    });
  });

  let spec: unknown;
  try {
    spec = JSON.parse(specBytes.toString("utf8"));
    assertOpenApiDocument(spec);
  } catch (error) {
    throw new SpecSyncError(
      `The committed spec ${options.specPath} is not a valid OpenAPI 3.x document (${error instanceof Error ? error.message : String(error)}). Fix it or restore it from git before syncing.`,
      { cause: error },
    );
  }

  const packageJson = JSON.parse(await readFile(options.packageJsonPath, "utf8")) as {
    name?: unknown;
    version?: unknown;
  };
  if (typeof packageJson.name !== "string" || typeof packageJson.version !== "string") {
    throw new SpecSyncError(`${options.packageJsonPath} has no name or version, which the changeset needs.`);
  }

  return { specBytes, spec, packageName: packageJson.name, packageVersion: packageJson.version };
}
