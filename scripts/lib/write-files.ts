import { readFile, rm } from "node:fs/promises";

import { writeFileAtomically } from "./spec-record.js";

export interface FileWrite {
  path: string;
  content: string;
}

/**
 * Writes several files as one change: each file is replaced atomically, and if any write fails,
 * the files already written get their previous bytes back (or are removed when they are new).
 * Throws the first write error; when putting a file back fails too, the error names that file.
 */
export async function writeFilesTogether(files: FileWrite[]): Promise<void> {
  const previous = await Promise.all(files.map((file) => readFile(file.path).catch(() => undefined)));
  const written: number[] = [];

  try {
    for (const [index, file] of files.entries()) {
      await writeFileAtomically(file.path, file.content);
      written.push(index);
    }
  } catch (error) {
    const notRestored = await restore(files, previous, written);
    if (notRestored.length === 0) throw error;

    throw new Error(
      `${error instanceof Error ? error.message : String(error)}; these files could not be put back: ${notRestored.join(", ")}`,
      { cause: error },
    );
  }
}

async function restore(files: FileWrite[], previous: (Buffer | undefined)[], written: number[]): Promise<string[]> {
  const notRestored: string[] = [];

  for (const index of written) {
    const file = files[index] as FileWrite;
    const bytes = previous[index];

    try {
      if (bytes === undefined) await rm(file.path, { force: true });
      else await writeFileAtomically(file.path, bytes);
    } catch {
      notRestored.push(file.path);
    }
  }

  return notRestored;
}
