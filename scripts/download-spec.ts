// Downloads Authsignal's Client API OpenAPI document into the spec file. Run `npm run spec:download -- --help`.
import { resolve } from "node:path";

import { downloadSpec, type DownloadSpecResult } from "./lib/download-spec.js";
import {
  DEFAULT_TIMEOUT_MS,
  SPEC_URL_VARIABLE,
  SpecDownloadError,
  displayUrl,
  parseTimeoutMs,
  resolveSpecUrl,
} from "./lib/fetch-spec.js";
import { EXIT_USAGE, parseCommandLine } from "./lib/command-line.js";
import { displayPath, SPEC_PATH } from "./lib/paths.js";
import { DEFAULT_SPEC_URL } from "./lib/spec-record.js";

const EXIT_FAILURE = 1;

const USAGE = `Usage: npm run spec:download -- [--spec <path>] [--timeout-ms <ms>]

Downloads the Client API's OpenAPI document, checks that it is OpenAPI 3.x with at least one
operation, and writes it to the spec file formatted with two-space indent. The record next to the
spec (<name>.source.json) gets the URL, the time and the SHA-256. When the formatted document is
identical to the spec file, neither file is written.

Options:
  --spec <path>       Spec file to update (default: spec/client-api.json in the repository).
  --timeout-ms <ms>   Maximum time in milliseconds for the whole download (default: ${DEFAULT_TIMEOUT_MS}).
  --help              Print this help and exit.

Environment:
  ${SPEC_URL_VARIABLE}  URL of the document (default: ${DEFAULT_SPEC_URL}).

Exit status: 0 when the spec was updated or is unchanged, 1 when the download, a check or a
write failed (the spec and its record then keep their previous bytes unless the message says
otherwise), 2 for invalid options or an invalid ${SPEC_URL_VARIABLE}.`;

async function main(): Promise<number> {
  const commandLine = parseCommandLine("spec:download", USAGE, {
    spec: { type: "string" },
    "timeout-ms": { type: "string" },
  });
  if ("exitCode" in commandLine) return commandLine.exitCode;
  const { values } = commandLine;

  const specPath = values.spec === undefined ? SPEC_PATH : resolve(values.spec);

  try {
    const url = resolveSpecUrl(process.env);
    const timeoutMs = values["timeout-ms"] === undefined ? DEFAULT_TIMEOUT_MS : parseTimeoutMs(values["timeout-ms"]);

    console.log(`Downloading ${displayUrl(url)} (timeout ${timeoutMs} ms) ...`);
    const result = await downloadSpec({ url, specPath, timeoutMs });
    printResult(result);
    return 0;
  } catch (error) {
    if (!(error instanceof SpecDownloadError)) throw error;

    console.error(`spec:download failed: ${error.message}`);
    if (error.code === "invalid-argument") return EXIT_USAGE;
    if (error.filesUnchanged) console.error(`Left ${displayPath(specPath)} and its record unchanged.`);
    return EXIT_FAILURE;
  }
}

function printResult(result: DownloadSpecResult): void {
  const spec = displayPath(result.specPath);

  if (result.status === "unchanged") {
    console.log(`The spec is unchanged: ${spec} already contains this document (${result.operationCount} operations).`);
    console.log("Wrote nothing.");
    return;
  }

  const { comparison } = result;
  if (comparison.kind === "no-previous-spec") {
    console.log(`There was no spec at ${spec}, so all ${result.operationCount} operations are new.`);
  } else if (comparison.kind === "previous-spec-invalid") {
    console.log(
      `The previous ${spec} is not a valid OpenAPI 3.x document, so operations were not compared: ${comparison.problem}`,
    );
  } else {
    const { added, removed, changed, changedTopLevelFields } = comparison.changes;
    printOperationList("Added", "+", added);
    printOperationList("Removed", "-", removed);
    printOperationList("Changed", "~", changed);
    if (added.length + removed.length + changed.length === 0) {
      console.log("No operation was added, removed or changed.");
    }
    if (changedTopLevelFields.length > 0) {
      console.log(`Top-level fields that changed: ${changedTopLevelFields.join(", ")}`);
    }
  }

  const record = displayPath(result.recordPath);
  console.log(`Wrote ${spec} (${result.operationCount} operations, sha256 ${result.sha256}) and ${record}.`);
}

function printOperationList(heading: string, marker: string, operationKeys: string[]): void {
  if (operationKeys.length === 0) return;

  const noun = operationKeys.length === 1 ? "operation" : "operations";
  console.log(`${heading} ${operationKeys.length} ${noun}:`);
  for (const key of operationKeys) console.log(`  ${marker} ${key}`);
}

process.exitCode = await main();
