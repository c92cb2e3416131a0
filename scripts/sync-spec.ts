// Keeps the package in step with the upstream spec. Run `npm run spec:sync -- --help`.
import { relative, resolve } from "node:path";

import {
  DEFAULT_TIMEOUT_MS,
  SPEC_URL_VARIABLE,
  SpecDownloadError,
  displayUrl,
  parseTimeoutMs,
  resolveSpecUrl,
} from "./lib/fetch-spec.js";
import { EXIT_USAGE, parseCommandLine } from "./lib/command-line.js";
import { specNameFor } from "./lib/generate-files.js";
import { displayPath, GENERATED_DIR, REPOSITORY_ROOT, SPEC_PATH } from "./lib/paths.js";
import { DEFAULT_SPEC_URL } from "./lib/spec-record.js";
import { syncSpec, type SyncSpecResult } from "./lib/sync-spec.js";

/** Exit statuses, distinct so that a workflow can tell "nothing to do" from "open a pull request". */
const EXIT_UNCHANGED = 0;
const EXIT_FAILURE = 1;
const EXIT_CHANGED = 3;

const USAGE = `Usage: npm run spec:sync -- [--timeout-ms <ms>] [--root <dir>]

Downloads the Client API's OpenAPI document and compares it with spec/client-api.json. When it
differs, writes the new spec and its record, regenerates generated/, and adds a changeset whose
bump follows api-smart-diff's classification: breaking means major (minor while the version is
0.x), other API changes mean minor, descriptions and examples alone mean patch.

Options:
  --timeout-ms <ms>   Maximum time in milliseconds for the download (default: ${DEFAULT_TIMEOUT_MS}).
  --root <dir>        Folder holding spec/, generated/, .changeset/ and package.json (default: the
                      repository). Tests point it at a copy.
  --help              Print this help and exit.

Environment:
  ${SPEC_URL_VARIABLE}  URL of the document (default: ${DEFAULT_SPEC_URL}).

Exit status: ${EXIT_UNCHANGED} when the spec is unchanged and nothing was written, ${EXIT_CHANGED} when it changed
and the files were written, ${EXIT_FAILURE} when the download, a check or a write failed (nothing is
then changed), ${EXIT_USAGE} for invalid options or an invalid ${SPEC_URL_VARIABLE}.`;

async function main(): Promise<number> {
  const commandLine = parseCommandLine("spec:sync", USAGE, {
    "timeout-ms": { type: "string" },
    root: { type: "string" },
  });
  if ("exitCode" in commandLine) return commandLine.exitCode;
  const { values } = commandLine;

  const root = values.root === undefined ? REPOSITORY_ROOT : resolve(values.root);
  const inRoot = (path: string) => resolve(root, relative(REPOSITORY_ROOT, path));

  try {
    const url = resolveSpecUrl(process.env);
    const timeoutMs = values["timeout-ms"] === undefined ? DEFAULT_TIMEOUT_MS : parseTimeoutMs(values["timeout-ms"]);

    console.log(`Downloading ${displayUrl(url)} (timeout ${timeoutMs} ms) ...`);
    const result = await syncSpec({
      url,
      timeoutMs,
      specPath: inRoot(SPEC_PATH),
      specName: specNameFor(inRoot(SPEC_PATH), root),
      generatedDir: inRoot(GENERATED_DIR),
      changesetDir: resolve(root, ".changeset"),
      packageJsonPath: resolve(root, "package.json"),
    });

    printResult(result);
    return result.status === "unchanged" ? EXIT_UNCHANGED : EXIT_CHANGED;
  } catch (error) {
    if (error instanceof SpecDownloadError && error.code === "invalid-argument") {
      console.error(`spec:sync failed: ${error.message}`);
      return EXIT_USAGE;
    }

    const message = error instanceof Error ? error.message : String(error);
    console.error(`spec:sync failed: ${message}`);
    console.error("No file was changed.");
    return EXIT_FAILURE;
  }
}

function printResult(result: SyncSpecResult): void {
  if (result.status === "unchanged") {
    console.log("The upstream spec is unchanged. Wrote nothing.");
    return;
  }

  console.log(`The upstream spec changed: a ${result.bump} release.`);
  for (const change of result.changes) {
    const subject = change.operation ?? "document";
    console.log(`  ${change.type.padEnd(12)} ${subject}: ${change.text}`);
  }

  console.log(`Wrote ${result.writtenPaths.map(displayPath).join(", ")}.`);
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(`spec:sync failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_FAILURE;
  },
);
