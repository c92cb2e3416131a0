import type { Bump, SpecChange } from "./classify-changes.js";

/**
 * Writes the changeset for a spec update: the bump in the front matter, then one line per changed
 * operation in words a user of the client understands, breaking changes marked.
 */
export function renderChangeset(packageName: string, bump: Bump, changes: SpecChange[], specSha256: string): string {
  const byOperation = new Map<string, SpecChange[]>();
  for (const change of changes) {
    const key = change.operation ?? "";
    byOperation.set(key, [...(byOperation.get(key) ?? []), change]);
  }

  const lines = [...byOperation].map(([operation, operationChanges]) => {
    const subject = operation === "" ? "The document" : `\`${operation}\``;
    const texts = operationChanges.map((change) =>
      change.type === "breaking" ? `${change.text} (breaking)` : change.text,
    );
    return `- ${subject}: ${texts.join("; ")}.`;
  });

  const summary =
    bump === "patch"
      ? "Update descriptions and examples from the upstream Client API spec"
      : "Update the client to the upstream Client API spec";
  const body = lines.length === 0 ? ["The upstream document changed in form only; no operation changed."] : lines;

  return [
    "---",
    `${JSON.stringify(packageName)}: ${bump}`,
    "---",
    "",
    `${summary} (sha256 ${specSha256.slice(0, 12)}).`,
    "",
    ...body,
    "",
  ].join("\n");
}
