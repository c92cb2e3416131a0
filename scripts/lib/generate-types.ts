import openapiTS, { astToString, type OpenAPI3, type OpenAPITSOptions } from "openapi-typescript";

/**
 * openapi-typescript options, each set on purpose rather than left to the tool's default.
 * A change of default in a later openapi-typescript release must not change the types silently.
 */
export const OPENAPI_TYPESCRIPT_OPTIONS: OpenAPITSOptions = {
  // A field with a `default` must stay optional in request bodies, because the server fills it in.
  // With `true` (the tool's default) openapi-typescript marks such fields required unless the schema
  // sits inline under `requestBody`, and this spec keeps request schemas in `components.schemas`.
  defaultNonNullable: false,

  // `true` would make every array `readonly T[]`, which drops `push`, `sort` and the other mutating
  // methods that callers use on the lists they get back.
  immutable: false,

  // `true` would turn `minItems`/`maxItems` into tuple types, which are awkward to build and to map over.
  arrayLength: false,

  // String-literal unions, not TypeScript `enum`s: enums emit runtime code, and this file must
  // compile to nothing so that it adds no bytes to an app's bundle.
  enum: false,

  // Without an index signature on every object, a misspelled request-body field is a type error.
  additionalProperties: false,

  // Only fields listed in `required` are required, as the OpenAPI specification defines it.
  propertiesRequiredByDefault: false,

  // Keep deprecated fields (such as the error body's `error`): they are still sent, and the generated
  // JSDoc marks them `@deprecated` so editors strike them through.
  excludeDeprecated: false,

  // Keep the document's order so that a spec change shows up as a small diff in the generated file.
  alphabetize: false,

  // `interface` declarations, the tool's default, which editors display by name in hover text.
  exportType: false,

  silent: true,
};

/** Generates the `paths`, `components` and `operations` types for the document. */
export async function generateTypes(document: OpenAPI3): Promise<string> {
  const ast = await openapiTS(withUnconfirmedNotes(document), OPENAPI_TYPESCRIPT_OPTIONS);
  return astToString(ast);
}

/**
 * Copies the document with each `x-unconfirmed` note appended to the description next to it, so
 * that editors show the note in the hover text of the field or operation it is about.
 */
export function withUnconfirmedNotes<Value>(value: Value): Value {
  if (Array.isArray(value)) return value.map((item: unknown) => withUnconfirmedNotes(item)) as Value;
  if (typeof value !== "object" || value === null) return value;

  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = withUnconfirmedNotes(item);

  const note = copy["x-unconfirmed"];
  if (typeof note === "string") {
    const description = typeof copy.description === "string" ? `${copy.description}\n\n` : "";
    copy.description = `${description}Unconfirmed: ${note}`;
  }

  return copy as Value;
}
