import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

import type { OpenApiDocument } from "../../scripts/lib/openapi.js";

const SPEC_ID = "client-api.json";

/**
 * Validates response bodies against the schemas of the spec. The whole document is registered
 * with Ajv, so each operation's schema is compiled from a JSON pointer into it and its `$ref`s
 * resolve the way they do in the spec. Strict mode is off because OpenAPI 3.0 schemas carry
 * keywords (`example`, `x-` extensions) that JSON Schema does not define.
 */
export function createResponseValidator(document: OpenApiDocument) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...document, $id: SPEC_ID });

  const cache = new Map<string, ValidateFunction>();

  return function validate(path: string, method: string, status: string, body: unknown): string[] {
    const pointer = ["paths", path, method, "responses", status, "content", "application/json", "schema"]
      .map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1"))
      .join("/");

    let validateBody = cache.get(pointer);
    if (validateBody === undefined) {
      validateBody = ajv.compile({ $ref: `${SPEC_ID}#/${pointer}` });
      cache.set(pointer, validateBody);
    }

    if (validateBody(body)) return [];
    return (validateBody.errors ?? []).map(
      (error) => `${error.instancePath || "(body)"} ${error.message ?? "is invalid"}`,
    );
  };
}
