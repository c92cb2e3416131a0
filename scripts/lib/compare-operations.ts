import { HTTP_METHODS, listOperations, type OpenApiDocument, type PathItem } from "./openapi.js";

/** Differences between two versions of a document, by operation key such as `POST /challenge/email-otp`. */
export interface OperationChanges {
  /** Operations only in the new document, in its order. */
  added: string[];
  /** Operations only in the previous document, in its order. */
  removed: string[];
  /** Operations in both documents whose definition differs, in the new document's order. */
  changed: string[];
  /** Top-level fields other than `paths` whose JSON differs, sorted, for example `components` or `info`. */
  changedTopLevelFields: string[];
}

/**
 * Compares the operations of two documents.
 *
 * An operation counts as changed when its own JSON differs, when a field shared by its path item
 * (such as path-level `parameters`) differs, or when a local `$ref` it uses differs, followed
 * through any `$ref`s inside the referenced components. References to other files are compared
 * only as strings. Top-level changes that reach operations without a `$ref`, such as the global
 * `security` requirement, appear in `changedTopLevelFields` and do not mark operations as changed.
 */
export function compareOperations(previous: OpenApiDocument, next: OpenApiDocument): OperationChanges {
  const previousFingerprints = fingerprintOperations(previous);
  const nextFingerprints = fingerprintOperations(next);

  const added: string[] = [];
  const changed: string[] = [];
  for (const [key, fingerprint] of nextFingerprints) {
    const previousFingerprint = previousFingerprints.get(key);
    if (previousFingerprint === undefined) {
      added.push(key);
    } else if (previousFingerprint !== fingerprint) {
      changed.push(key);
    }
  }

  const removed = [...previousFingerprints.keys()].filter((key) => !nextFingerprints.has(key));

  const topLevelFields = new Set([...Object.keys(previous), ...Object.keys(next)]);
  topLevelFields.delete("paths");
  const changedTopLevelFields = [...topLevelFields]
    .filter((field) => JSON.stringify(previous[field]) !== JSON.stringify(next[field]))
    .sort();

  return { added, removed, changed, changedTopLevelFields };
}

/** Maps each operation key to a JSON string of everything that defines the operation. */
function fingerprintOperations(document: OpenApiDocument): Map<string, string> {
  const fingerprints = new Map<string, string>();

  for (const { key, path, operation } of listOperations(document)) {
    const sharedFields = pathItemSharedFields(document.paths[path] ?? {});
    const referencedValues = collectReferencedValues(document, [operation, sharedFields]);
    fingerprints.set(key, JSON.stringify([operation, sharedFields, referencedValues]));
  }

  return fingerprints;
}

/** Returns the path item's fields that apply to all its operations, such as `parameters` and `servers`. */
function pathItemSharedFields(pathItem: PathItem): Record<string, unknown> {
  const methods: readonly string[] = HTTP_METHODS;
  return Object.fromEntries(Object.entries(pathItem).filter(([field]) => !methods.includes(field)));
}

/**
 * Resolves every local `$ref` reachable from the roots, including `$ref`s inside referenced values,
 * and returns the resolved values as `[ref, value]` pairs sorted by ref. A ref that does not resolve
 * is paired with `null`.
 */
function collectReferencedValues(document: OpenApiDocument, roots: unknown[]): [string, unknown][] {
  const resolved = new Map<string, unknown>();
  const pending = [...roots];

  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== "object" || value === null) continue;

    const ref = (value as Record<string, unknown>)["$ref"];
    if (typeof ref === "string" && ref.startsWith("#/") && !resolved.has(ref)) {
      const target = resolveLocalRef(document, ref);
      resolved.set(ref, target ?? null);
      pending.push(target);
    }

    for (const child of Object.values(value)) pending.push(child);
  }

  return [...resolved].sort(([refA], [refB]) => refA.localeCompare(refB));
}

/**
 * Follows a `#/...` reference inside the document. The fragment is URI-encoded JSON Pointer
 * (RFC 6901). Returns undefined when the reference is malformed or does not resolve.
 */
function resolveLocalRef(document: OpenApiDocument, ref: string): unknown {
  let tokens: string[];
  try {
    tokens = ref
      .slice(2)
      .split("/")
      .map((token) => decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~"));
  } catch (error) {
    if (error instanceof URIError) return undefined;
    throw error;
  }

  let current: unknown = document;
  for (const token of tokens) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, token)) return undefined;
    current = (current as Record<string, unknown>)[token];
  }

  return current;
}
