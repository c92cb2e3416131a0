// Records a hand-edited spec snapshot in its <name>.source.json. Run `npm run spec:record -- --help`.
import { resolve } from "node:path";

import { SPEC_URL_VARIABLE, SpecDownloadError, displayUrl, resolveSpecUrl } from "./lib/fetch-spec.js";
import {
  DEFAULT_SPEC_URL,
  SpecFileError,
  readCanonicalSpec,
  recordPathFor,
  sha256Hex,
  writeSpecRecord,
  type SpecRecord,
} from "./lib/spec-record.js";
import { EXIT_USAGE, parseCommandLine } from "./lib/command-line.js";
import { displayPath, SPEC_PATH } from "./lib/paths.js";

const EXIT_FAILURE = 1;

const USAGE = `Usage: npm run spec:record -- [--note <text>] [--spec <path>]

Records a spec snapshot that was written or edited by hand. Checks that the spec file is an
OpenAPI 3.x document in canonical form (JSON.stringify(document, null, 2) plus a final newline),
then rewrites the record next to it (<name>.source.json) with origin "handwritten", the current
time, the SHA-256 of the file's bytes and the note.

Options:
  --note <text>   Why the snapshot is hand-written or what was edited, stored in the record.
  --spec <path>   Spec file to record (default: spec/client-api.json in the repository).
  --help          Print this help and exit.

Environment:
  ${SPEC_URL_VARIABLE}  Upstream URL stored in the record (default: ${DEFAULT_SPEC_URL}).

Exit status: 0 when the record was written, 1 when the spec is invalid or a file could not be
read or written, 2 for invalid options or an invalid ${SPEC_URL_VARIABLE}.`;

async function main(): Promise<number> {
  const commandLine = parseCommandLine("spec:record", USAGE, {
    note: { type: "string" },
    spec: { type: "string" },
  });
  if ("exitCode" in commandLine) return commandLine.exitCode;
  const { values } = commandLine;

  if (values.note !== undefined && values.note.trim() === "") {
    console.error("spec:record: --note is empty. Give a short reason, or leave out --note.");
    return EXIT_USAGE;
  }

  let url: URL;
  try {
    url = resolveSpecUrl(process.env);
  } catch (error) {
    if (!(error instanceof SpecDownloadError)) throw error;
    console.error(`spec:record: ${error.message}`);
    return EXIT_USAGE;
  }

  const specPath = values.spec === undefined ? SPEC_PATH : resolve(values.spec);
  const recordPath = recordPathFor(specPath);

  let bytes: Buffer;
  try {
    ({ bytes } = await readCanonicalSpec(specPath));
  } catch (error) {
    if (!(error instanceof SpecFileError)) throw error;
    console.error(`spec:record failed: ${error.message}`);
    return EXIT_FAILURE;
  }

  const record: SpecRecord = {
    url: displayUrl(url),
    origin: "handwritten",
    recordedAt: new Date().toISOString(),
    sha256: sha256Hex(bytes),
  };
  if (values.note !== undefined) record.note = values.note;

  try {
    await writeSpecRecord(recordPath, record);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`spec:record failed: could not write ${displayPath(recordPath)}: ${message}`);
    return EXIT_FAILURE;
  }

  console.log(
    `Recorded ${displayPath(specPath)} as hand-written (sha256 ${record.sha256}) in ${displayPath(recordPath)}.`,
  );
  return 0;
}

process.exitCode = await main();
