import { listOperations, type OpenApiDocument, type SecurityRequirement } from "./openapi.js";

/**
 * The ways of authenticating that the client can send. The spec names security schemes freely,
 * so each scheme is mapped to one of these by its type, not by its name.
 */
export type AuthMethod = "bearer" | "basic" | "anonymous";

/**
 * Builds the source of `generated/operation-auth.ts`: for every operation, the auth methods it
 * accepts in the order the spec lists them. The client's auth middleware reads this table, so
 * that which operations accept tenant Basic auth comes from the spec, not from a hand-kept list.
 */
export function generateAuthTable(document: OpenApiDocument): string {
  const lines: string[] = [];

  for (const { key, operation } of listOperations(document)) {
    const methods = toAuthMethods(operation.security ?? document.security, document, key);

    lines.push(`  ${JSON.stringify(key)}: [${quoteAll(methods)}],`);
  }

  const defaultMethods = toAuthMethods(document.security, document, "The document");

  return [
    `export type AuthMethod = "bearer" | "basic" | "anonymous";`,
    "",
    "/** Auth methods of the document's global security, for a path the table does not list. */",
    `export const defaultAuth: readonly AuthMethod[] = [${quoteAll(defaultMethods)}];`,
    "",
    "/** Auth methods each operation accepts, keyed by `METHOD /path`, in the spec's order of preference. */",
    "export const operationAuth: Readonly<Record<string, readonly AuthMethod[]>> = {",
    ...lines,
    "};",
    "",
  ].join("\n");
}

function quoteAll(methods: AuthMethod[]): string {
  return methods.map((method) => JSON.stringify(method)).join(", ");
}

/** Converts a list of security requirements to auth methods. An absent or empty list needs no credentials. */
export function toAuthMethods(
  requirements: SecurityRequirement[] | undefined,
  document: OpenApiDocument,
  operationKey: string,
): AuthMethod[] {
  if (requirements === undefined || requirements.length === 0) return ["anonymous"];

  return requirements.map((requirement) => toAuthMethod(requirement, document, operationKey));
}

function toAuthMethod(requirement: SecurityRequirement, document: OpenApiDocument, operationKey: string): AuthMethod {
  const schemeNames = Object.keys(requirement);

  if (schemeNames.length === 0) return "anonymous";

  if (schemeNames.length > 1) {
    throw new Error(
      `${operationKey} requires the security schemes ${schemeNames.join(" and ")} together; ` +
        "the client sends one Authorization header, so teach src/auth.ts the combination before regenerating.",
    );
  }

  const schemeName = schemeNames[0] as string;
  const scheme = document.components?.securitySchemes?.[schemeName];

  if (scheme === undefined) {
    throw new Error(
      `${operationKey} uses the security scheme "${schemeName}", which components.securitySchemes does not define.`,
    );
  }

  const httpScheme = scheme.scheme?.toLowerCase();
  if (scheme.type === "http" && httpScheme === "bearer") return "bearer";
  if (scheme.type === "http" && httpScheme === "basic") return "basic";

  throw new Error(
    `${operationKey} uses the security scheme "${schemeName}" of type "${scheme.type}"${httpScheme ? ` (${httpScheme})` : ""}; ` +
      "the client supports only HTTP bearer and HTTP basic, so teach src/auth.ts the new scheme before regenerating.",
  );
}
