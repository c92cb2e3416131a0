import { listOperations, type OpenApiDocument } from "./openapi.js";

/**
 * Builds the source of `generated/operations.md`: one table row per operation, with the auth
 * methods it accepts and whether its shape is unconfirmed, so that a spec change shows up in a
 * readable diff next to the types.
 */
export function generateOperationsDoc(
  document: OpenApiDocument,
  authMethods: (key: string) => readonly string[],
): string {
  const rows = listOperations(document).map(({ key, operation }) => {
    const summary = escapeCell(operation.summary ?? "");
    const tag = escapeCell(Array.isArray(operation.tags) ? String(operation.tags[0] ?? "") : "");
    const auth = authMethods(key)
      .map((method) => AUTH_LABELS[method] ?? method)
      .join(" or ");
    const note = typeof operation["x-unconfirmed"] === "string" ? "unconfirmed" : "";

    return `| \`${key}\` | ${summary} | ${tag} | ${auth} | ${note} |`;
  });

  return [
    "# Client API operations",
    "",
    `${rows.length} operations of ${escapeCell(document.info?.title ?? "the spec")} ${document.info?.version ?? ""}.`.replace(
      " .",
      ".",
    ),
    "Auth lists the methods an operation accepts, in the order the client tries them. An operation marked",
    "unconfirmed is known from the official SDKs only, not from the reference documentation.",
    "",
    "| Operation | Summary | Tag | Auth | Note |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

const AUTH_LABELS: Record<string, string> = { bearer: "Bearer token", basic: "tenant Basic", anonymous: "none" };

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
