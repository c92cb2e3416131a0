/**
 * The parts of an OpenAPI 3.x document that the scripts and tests read. Anything else in the
 * document is carried through untouched.
 */
export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string };
  paths: Record<string, PathItem>;
  security?: SecurityRequirement[];
  components?: {
    securitySchemes?: Record<string, SecurityScheme>;
    schemas?: Record<string, unknown>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type PathItem = Partial<Record<HttpMethod, OperationObject>> & Record<string, unknown>;

export interface OperationObject {
  operationId?: string;
  summary?: string;
  security?: SecurityRequirement[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Scheme names that must all be satisfied together; an empty object allows anonymous calls. */
export type SecurityRequirement = Record<string, string[]>;

export interface SecurityScheme {
  type: string;
  scheme?: string;
  [key: string]: unknown;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One operation of the document, named the way the tests and messages print it. */
export interface OperationEntry {
  /** `"POST /challenge/email-otp"`: upper-case method, a space, the path as written in the document. */
  key: string;
  method: HttpMethod;
  path: string;
  operation: OperationObject;
}

/** Lists every operation in the document, in document order. */
export function listOperations(document: OpenApiDocument): OperationEntry[] {
  const entries: OperationEntry[] = [];

  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation === undefined) continue;

      entries.push({ key: `${method.toUpperCase()} ${path}`, method, path, operation });
    }
  }

  return entries;
}

/** A parsed JSON value that is not a usable OpenAPI 3.x document. The message names the problem. */
export class InvalidOpenApiDocumentError extends Error {
  override name = "InvalidOpenApiDocumentError";
}

/**
 * Checks that a parsed JSON value is an OpenAPI 3.x document with at least one operation.
 * Throws InvalidOpenApiDocumentError naming the first problem found. Only the fields that
 * `listOperations` reads are checked, so the rest of the document is not validated.
 */
export function assertOpenApiDocument(value: unknown): asserts value is OpenApiDocument {
  if (!isJsonObject(value)) {
    throw new InvalidOpenApiDocumentError(
      `expected a JSON object at the top level but found ${describeJsonType(value)}`,
    );
  }

  const version = value["openapi"];
  if (version === undefined) {
    const swagger = value["swagger"];
    const swaggerHint =
      swagger === undefined ? "" : ` (it has "swagger": ${JSON.stringify(swagger)}, so it is Swagger 2.0)`;
    throw new InvalidOpenApiDocumentError(
      `the "openapi" field is missing, so this is not an OpenAPI 3.x document${swaggerHint}`,
    );
  }
  if (typeof version !== "string" || !version.startsWith("3.")) {
    throw new InvalidOpenApiDocumentError(
      `"openapi" is ${JSON.stringify(version)}, but an OpenAPI 3.x version such as "3.0.0" is expected`,
    );
  }

  const paths = value["paths"];
  if (!isJsonObject(paths)) {
    const found = paths === undefined ? "missing" : describeJsonType(paths);
    throw new InvalidOpenApiDocumentError(`"paths" is ${found}, but an object of path items is expected`);
  }

  for (const [path, pathItem] of Object.entries(paths)) {
    if (!isJsonObject(pathItem)) {
      throw new InvalidOpenApiDocumentError(
        `the path item "${path}" is ${describeJsonType(pathItem)}, but an object is expected`,
      );
    }

    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation !== undefined && !isJsonObject(operation)) {
        throw new InvalidOpenApiDocumentError(
          `the operation ${method.toUpperCase()} ${path} is ${describeJsonType(operation)}, but an object is expected`,
        );
      }
    }
  }

  if (listOperations(value as OpenApiDocument).length === 0) {
    throw new InvalidOpenApiDocumentError(`"paths" contains no operations`);
  }
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}
