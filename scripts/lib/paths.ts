import { relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this file's location so scripts work from any directory. */
export const REPOSITORY_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The committed OpenAPI snapshot that everything else is generated from. */
export const SPEC_PATH = fileURLToPath(new URL("../../spec/client-api.json", import.meta.url));

/** The folder of generated TypeScript. Never edited by hand: run `npm run generate`. */
export const GENERATED_DIR = fileURLToPath(new URL("../../generated/", import.meta.url));

/** Shows a path relative to the working directory when it is inside it, otherwise as an absolute path. */
export function displayPath(path: string): string {
  const relativePath = relative(process.cwd(), path);
  return relativePath === "" || relativePath.startsWith("..") ? path : relativePath;
}
