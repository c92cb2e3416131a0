// Lints the GitHub Actions workflows with actionlint. Run `npm run lint:workflows -- --help`.
import { readdir, readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

import { createLinter } from "actionlint";
import { format } from "prettier";

import { EXIT_USAGE, parseCommandLine } from "./lib/command-line.js";
import { REPOSITORY_ROOT } from "./lib/paths.js";

const EXIT_PROBLEMS = 1;

const DEFAULT_WORKFLOWS_DIR = join(REPOSITORY_ROOT, ".github", "workflows");
const WORKFLOW_EXTENSIONS = [".yml", ".yaml"];

const USAGE = `Usage: npm run lint:workflows -- [--dir <path>]

Lints every .yml and .yaml file directly inside the workflows folder with actionlint (the
WebAssembly build in the actionlint npm package) and prints each problem as
"file:line:column: message [kind]", with paths relative to the repository root.

Options:
  --dir <path>   Folder of workflow files, relative to the current directory
                 (default: .github/workflows in the repository).
  --help         Print this help and exit.

Exit status: 0 when no file has a problem, 1 when a file has a problem or the folder is missing
or has no workflow files, 2 for invalid options.

Limits: the actionlint npm package 2.0.6 contains actionlint 1.6.22. It does not run
shellcheck on "run:" scripts, and it checks "with:" inputs only for the action versions it lists,
such as actions/checkout up to v3; inputs of later versions are not checked.`;

type LintFunction = Awaited<ReturnType<typeof createLinter>>;

/** A problem in one workflow file. Line and column are 1-based, and missing when the position is unknown. */
interface Problem {
  line?: number;
  column?: number;
  message: string;
  kind: string;
}

/** Formats `path` relative to the repository root when it is inside it, otherwise as an absolute path. */
function pathFromRoot(path: string): string {
  const relativePath = relative(REPOSITORY_ROOT, path);
  if (relativePath === "") return ".";
  const outside = relativePath === ".." || relativePath.startsWith(`..${sep}`) || isAbsolute(relativePath);
  return outside ? path : relativePath;
}

function formatProblem(file: string, problem: Problem): string {
  const position = problem.line === undefined ? "" : `:${problem.line}:${problem.column ?? 1}`;
  return `${file}${position}: ${problem.message} [${problem.kind}]`;
}

/** Lists the workflow files directly inside `dir`, sorted by name, because GitHub ignores subfolders there. */
async function listWorkflowFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => entry.name)
    .filter((name) => WORKFLOW_EXTENSIONS.some((extension) => name.endsWith(extension)))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Finds the first YAML syntax error in `text` with Prettier's YAML parser, or returns undefined
 * when the text parses. Prettier's SyntaxError carries a 1-based `loc` and the parser's message
 * as `cause`.
 */
async function findYamlSyntaxError(text: string): Promise<Problem | undefined> {
  try {
    await format(text, { parser: "yaml" });
    return undefined;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;

    const { loc, cause } = error as SyntaxError & { loc?: { start?: { line: number; column: number } } };
    const reason = cause instanceof Error ? cause.message : error.message.split("\n")[0];
    const problem: Problem = { message: `YAML syntax error: ${reason}`, kind: "syntax-check" };
    if (loc?.start !== undefined) {
      problem.line = loc.start.line;
      problem.column = loc.start.column;
    }
    return problem;
  }
}

/**
 * Lints one workflow with `lint`. Returns the problems and whether the linter threw, in which case
 * the caller must not use it again.
 */
async function lintWorkflow(
  lint: LintFunction,
  text: string,
  displayName: string,
): Promise<{ problems: Problem[]; linterFailed: boolean }> {
  try {
    return { problems: lint(text, displayName), linterFailed: false };
  } catch (error) {
    // The WebAssembly build of actionlint 1.6.22 stops with "RuntimeError: unreachable" on a YAML
    // syntax error instead of reporting it, so a YAML parser locates the error.
    const syntaxError = await findYamlSyntaxError(text);
    if (syntaxError !== undefined) return { problems: [syntaxError], linterFailed: true };

    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const message = `actionlint failed on this file although it is valid YAML (${reason}). Lint it with the actionlint command-line tool instead.`;
    return { problems: [{ message, kind: "linter-failure" }], linterFailed: true };
  }
}

/** Reads and lints one workflow file. A file that cannot be read counts as a problem. */
async function lintFile(
  lint: LintFunction,
  file: string,
  displayName: string,
): Promise<{ problems: Problem[]; linterFailed: boolean }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { problems: [{ message: `could not read the file: ${message}`, kind: "read-error" }], linterFailed: false };
  }

  return lintWorkflow(lint, text, displayName);
}

async function main(): Promise<number> {
  const commandLine = parseCommandLine("lint:workflows", USAGE, {
    dir: { type: "string" },
  });
  if ("exitCode" in commandLine) return commandLine.exitCode;
  const { values } = commandLine;

  if (values.dir !== undefined && values.dir.trim() === "") {
    console.error("lint:workflows: --dir is empty. Give the folder of workflow files, or leave out --dir.");
    return EXIT_USAGE;
  }

  const dir = values.dir === undefined ? DEFAULT_WORKFLOWS_DIR : resolve(values.dir);
  const shownDir = pathFromRoot(dir);

  let files: string[];
  try {
    files = await listWorkflowFiles(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      console.error(`lint:workflows: folder not found: ${shownDir}. Create it with a workflow, or pass --dir.`);
    } else if (code === "ENOTDIR") {
      console.error(`lint:workflows: ${shownDir} is not a folder. Pass the folder of workflow files with --dir.`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`lint:workflows: could not read ${shownDir}: ${message}`);
    }
    return EXIT_PROBLEMS;
  }

  if (files.length === 0) {
    console.error(`lint:workflows: no .yml or .yaml files in ${shownDir}, so there is nothing to lint.`);
    return EXIT_PROBLEMS;
  }

  let lint = await createLinter();
  let problemCount = 0;
  let filesWithProblems = 0;

  for (const file of files) {
    const displayName = pathFromRoot(file);

    const { problems, linterFailed } = await lintFile(lint, file, displayName);
    // A WebAssembly instance that stopped mid-call may have broken state, so later files get a new one.
    if (linterFailed) lint = await createLinter();

    for (const problem of problems) console.log(formatProblem(displayName, problem));
    problemCount += problems.length;
    if (problems.length > 0) filesWithProblems += 1;
  }

  const fileCount = `${files.length} workflow file${files.length === 1 ? "" : "s"} in ${shownDir}`;
  if (problemCount === 0) {
    console.log(`actionlint found no problems in ${fileCount}.`);
    return 0;
  }

  const problemWord = problemCount === 1 ? "problem" : "problems";
  console.log(`actionlint found ${problemCount} ${problemWord} in ${filesWithProblems} of ${fileCount}.`);
  return EXIT_PROBLEMS;
}

process.exitCode = await main();
