import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, test } from "vitest";

import { REPOSITORY_ROOT } from "../../scripts/lib/paths.js";

let workDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), "lint-workflows-test-"));
});

afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function runLintWorkflows(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/lint-workflows.ts", ...args], {
    cwd: REPOSITORY_ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
}

/** Writes `text` as `name` in the work folder and returns its path. */
async function writeWorkflow(name: string, text: string): Promise<string> {
  const path = join(workDir, name);
  await writeFile(path, text);
  return path;
}

const VALID_WORKFLOW = `name: Valid
on: push
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v3
      - run: echo "\${{ github.sha }}"
`;

// The expression \${{ github.nope }} is on line 7 and starts at column 23.
const UNDEFINED_PROPERTY_WORKFLOW = `name: Undefined property
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ github.nope }}
`;

// "steps:" on line 6 is indented by three spaces, and "runs-on:" in the same mapping by four.
const BAD_INDENTATION_WORKFLOW = `name: Bad indentation
on: push
jobs:
  test:
    runs-on: ubuntu-latest
   steps:
      - run: echo hello
`;

describe("lint:workflows", () => {
  test("passes a valid workflow", async () => {
    await writeWorkflow("valid.yml", VALID_WORKFLOW);

    const result = runLintWorkflows("--dir", workDir);

    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("actionlint found no problems in 1 workflow file in");
  });

  test("reports an undefined expression property", async () => {
    const path = await writeWorkflow("undefined-property.yml", UNDEFINED_PROPERTY_WORKFLOW);

    const result = runLintWorkflows("--dir", workDir);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`${path}:7:23: property "nope" is not defined`);
    expect(result.stdout).toMatch(/\[expression\]\n/);
    expect(result.stdout).toContain("actionlint found 1 problem in 1 of 1 workflow file in");
  });

  test("reports a YAML syntax error", async () => {
    const path = await writeWorkflow("bad-indentation.yml", BAD_INDENTATION_WORKFLOW);

    const result = runLintWorkflows("--dir", workDir);

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`${escapeRegExp(path)}:6:\\d+: YAML syntax error: .+ \\[syntax-check\\]`));
  });

  test("keeps linting after a YAML syntax error", async () => {
    await writeWorkflow("a-bad-indentation.yml", BAD_INDENTATION_WORKFLOW);
    const undefinedPath = await writeWorkflow("b-undefined-property.yml", UNDEFINED_PROPERTY_WORKFLOW);
    await writeWorkflow("c-valid.yaml", VALID_WORKFLOW);

    const result = runLintWorkflows("--dir", workDir);

    expect(result.status).toBe(1);
    expect(result.stdout).toContain("YAML syntax error");
    expect(result.stdout).toContain(`${undefinedPath}:7:23:`);
    expect(result.stdout).toContain("actionlint found 2 problems in 2 of 3 workflow files in");
  });

  test("skips subfolders and non-YAML files", async () => {
    await writeWorkflow("valid.yaml", VALID_WORKFLOW);
    await writeWorkflow("notes.md", UNDEFINED_PROPERTY_WORKFLOW);
    await mkdir(join(workDir, "nested"));
    await writeFile(join(workDir, "nested", "undefined-property.yml"), UNDEFINED_PROPERTY_WORKFLOW);

    const result = runLintWorkflows("--dir", workDir);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain("actionlint found no problems in 1 workflow file in");
  });

  test("fails on a folder without workflows", async () => {
    await writeWorkflow("README.md", "Workflows go here.\n");

    const result = runLintWorkflows("--dir", workDir);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`no .yml or .yaml files in ${workDir}`);
    expect(result.stdout).toBe("");
  });

  test("fails on a missing folder", () => {
    const missing = join(workDir, "missing");

    const result = runLintWorkflows("--dir", missing);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`folder not found: ${missing}`);
  });

  test("fails when --dir is a file", async () => {
    const path = await writeWorkflow("valid.yml", VALID_WORKFLOW);

    const result = runLintWorkflows("--dir", path);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${path} is not a folder`);
  });

  test("rejects unknown options", () => {
    const result = runLintWorkflows("--folder", workDir);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--folder");
    expect(result.stderr).toContain("Run with --help for usage.");
  });

  test("passes the committed workflows", () => {
    const result = runLintWorkflows();

    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^actionlint found no problems in \d+ workflow files in \.github\/workflows\.\n$/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
