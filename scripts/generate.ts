/**
 * Generates `generated/` from `spec/client-api.json`.
 *
 *   npm run generate            writes the generated files
 *   npm run generate -- --check exits 1 when a generated file differs from what the spec gives
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";

import { generateFiles, specNameFor } from "./lib/generate-files.js";
import { displayPath, GENERATED_DIR, REPOSITORY_ROOT, SPEC_PATH } from "./lib/paths.js";

const USAGE = `Usage: npm run generate -- [--check] [--root DIR] [--spec FILE] [--out DIR]

Generates generated/ from spec/client-api.json with openapi-typescript.

  --check       write nothing; exit 1 if a generated file is missing or stale
  --root DIR    a copy of the repository to work in (default: this repository); the headers name
                the spec by its path inside it
  --spec FILE   the OpenAPI document to read (default: spec/client-api.json in the root)
  --out DIR     the folder to write or check (default: generated/ in the root)
  --help        print this message`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: "boolean" },
      root: { type: "string" },
      spec: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean" },
    },
  });

  if (values.help) {
    console.log(USAGE);
    return 0;
  }

  const root = values.root === undefined ? REPOSITORY_ROOT : resolve(values.root);
  const specPath =
    values.spec === undefined ? resolve(root, relative(REPOSITORY_ROOT, SPEC_PATH)) : resolve(values.spec);
  const outDir =
    values.out === undefined ? resolve(root, relative(REPOSITORY_ROOT, GENERATED_DIR)) : resolve(values.out);

  const specBytes = await readFile(specPath);
  const files = await generateFiles(specNameFor(specPath, root), specBytes);

  return values.check ? checkFiles(files, outDir) : writeFiles(files, outDir);
}

async function writeFiles(files: Map<string, string>, outDir: string): Promise<number> {
  await mkdir(outDir, { recursive: true });

  for (const [name, content] of files) {
    await writeFile(join(outDir, name), content);
    console.log(`wrote ${displayPath(join(outDir, name))}`);
  }

  return 0;
}

async function checkFiles(files: Map<string, string>, outDir: string): Promise<number> {
  const stale: string[] = [];

  for (const [name, expected] of files) {
    const path = join(outDir, name);
    const actual = await readFile(path, "utf8").catch(() => undefined);
    if (actual !== expected) stale.push(displayPath(path));
  }

  if (stale.length > 0) {
    console.error(`Generated files do not match the spec. Stale or missing: ${stale.join(", ")}.`);
    console.error("Run `npm run generate` and commit the result. Never edit generated/ by hand.");
    return 1;
  }

  console.log(`The files in ${displayPath(outDir)} are up to date with the spec.`);
  return 0;
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(`generate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
