import { apiDiff, type Diff } from "api-smart-diff";

import { HTTP_METHODS, type HttpMethod, type OpenApiDocument } from "./openapi.js";

/** A semver bump, as a changeset names it. */
export type Bump = "major" | "minor" | "patch";

/** One change a user can notice, in words. */
export interface SpecChange {
  /** `"breaking"`, `"non-breaking"`, `"deprecated"`, `"unclassified"` or `"annotation"`, as api-smart-diff labels it. */
  type: Diff["type"];
  /** The operation it belongs to, such as `"POST /verify/sms"`, or `undefined` for a document-wide change. */
  operation: string | undefined;
  /** The change in words, such as "new required request field `deviceId`". */
  text: string;
}

export interface Classification {
  bump: Bump;
  changes: SpecChange[];
}

/**
 * Compares two spec documents with api-smart-diff, which resolves `$ref`s and labels each change,
 * and picks the release bump. A breaking change means major, or minor while the package is 0.x,
 * where semver lets a minor release break. Any other change to the API means minor, and changes
 * to descriptions and examples alone mean patch.
 */
export function classifyChanges(
  previous: OpenApiDocument,
  next: OpenApiDocument,
  packageVersion: string,
): Classification {
  const diffs = apiDiff(previous, next);
  const changes = diffs.filter((diff) => diff.path[0] !== "components").map(describeDiff);

  return { bump: chooseBump(diffs, packageVersion), changes: mergeNewRequiredFields(dropRepeats(changes)) };
}

/**
 * api-smart-diff reports a new required field twice, as a new property and as a new entry in
 * `required`; a user reads it as one change.
 */
function mergeNewRequiredFields(changes: SpecChange[]): SpecChange[] {
  const key = (change: SpecChange, match: RegExpExecArray) => `${change.operation ?? ""}\n${match[1]}\n${match[2]}`;
  const nowRequired = new Set<string>();
  const newFields = new Set<string>();

  for (const change of changes) {
    const required = NOW_REQUIRED.exec(change.text);
    if (required) nowRequired.add(key(change, required));

    const added = NEW_FIELD.exec(change.text);
    if (added) newFields.add(key(change, added));
  }

  return changes.flatMap((change) => {
    const required = NOW_REQUIRED.exec(change.text);
    if (required && newFields.has(key(change, required))) return [];

    const added = NEW_FIELD.exec(change.text);
    if (added && nowRequired.has(key(change, added))) {
      return [{ ...change, type: "breaking" as const, text: `new required field ${added[1]} in the ${added[2]}` }];
    }

    return [change];
  });
}

const NOW_REQUIRED = /^(`[^`]+`) is now required in the (.+)$/;
const NEW_FIELD = /^new field (`[^`]+`) in the (.+)$/;

function chooseBump(diffs: Diff[], packageVersion: string): Bump {
  if (diffs.some((diff) => diff.type === "breaking")) return packageVersion.startsWith("0.") ? "minor" : "major";
  if (diffs.some((diff) => diff.type !== "annotation")) return "minor";

  return "patch";
}

function describeDiff(diff: Diff): SpecChange {
  const [root, path, method, ...rest] = diff.path.map(String);
  const isOperation = root === "paths" && path !== undefined && HTTP_METHODS.includes(method as HttpMethod);

  if (!isOperation || method === undefined) {
    return { type: diff.type, operation: undefined, text: cleanDescription(diff) ?? `changed ${diff.path.join(".")}` };
  }

  const operation = `${method.toUpperCase()} ${path}`;
  return { type: diff.type, operation, text: describeOperationChange(diff, rest) };
}

function describeOperationChange(diff: Diff, rest: string[]): string {
  if (rest.length === 0) {
    if (diff.action === "add") return "new operation";
    if (diff.action === "remove") return "removed operation";
  }

  const place = describePlace(rest);
  const field = fieldName(rest);
  const requiredIndex = rest.lastIndexOf("required");

  if (requiredIndex !== -1 && requiredIndex === rest.length - 2) {
    const name = backtickedName(diff.description) ?? "a field";
    if (diff.action === "add") return `${name} is now required in the ${place}`;
    if (diff.action === "remove") return `${name} is no longer required in the ${place}`;
  }

  if (field !== undefined && rest.at(-2) === "properties") {
    if (diff.action === "add") return `new field \`${field}\` in the ${place}`;
    if (diff.action === "remove") return `removed field \`${field}\` from the ${place}`;
  }

  const last = rest.at(-1) ?? "";
  if (diff.type === "annotation" && ["description", "summary", "example", "examples", "title"].includes(last)) {
    const target = field === undefined ? "" : ` of \`${field}\``;
    return place === "operation" ? `changed the ${last}${target}` : `changed the ${last}${target} in the ${place}`;
  }

  return cleanDescription(diff) ?? `changed ${rest.join(".")}`;
}

/** Names the part of an operation a path points into, such as "request body" or "200 response". */
function describePlace(rest: string[]): string {
  if (rest[0] === "requestBody") return "request body";
  if (rest[0] === "responses" && rest[1] !== undefined) return `${rest[1]} response`;
  if (rest[0] === "parameters") return "parameters";
  if (rest[0] === "security") return "security requirements";

  return "operation";
}

/** Returns the dotted name of the innermost schema property a path points into, such as `user.email`. */
function fieldName(rest: string[]): string | undefined {
  const names: string[] = [];

  rest.forEach((segment, index) => {
    const name = rest[index + 1];
    if (segment === "properties" && name !== undefined) names.push(name);
  });

  return names.length === 0 ? undefined : names.join(".");
}

function backtickedName(description: string | undefined): string | undefined {
  const match = description === undefined ? null : /`([^`]+)`/.exec(description);
  return match?.[1] === undefined ? undefined : `\`${match[1]}\``;
}

/** Turns api-smart-diff's "[Added] property `x` in ..." into "added property `x` in ...". */
function cleanDescription(diff: Diff): string | undefined {
  if (diff.description === undefined) return undefined;

  return diff.description.replace(/^\[(\w+)\]\s*/, (_match, verb: string) => `${verb.toLowerCase()} `);
}

function dropRepeats(changes: SpecChange[]): SpecChange[] {
  const seen = new Set<string>();

  return changes.filter((change) => {
    const key = `${change.operation ?? ""}\n${change.text}`;
    if (seen.has(key)) return false;

    seen.add(key);
    return true;
  });
}
