/**
 * Holds JSON values to the schemas of the OpenAPI document, with Ajv (JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1 and of z.toJSONSchema). Local `$ref`s (`#/components/schemas/...`)
 * resolve against the document. Formats are annotations here, as the document's schemas also
 * carry the patterns zod checks.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';

export interface SchemaIssue {
  /** JSON Pointer of the offending value, `''` for the root. */
  path: string;
  message: string;
}

type SchemaObject = { readonly [keyword: string]: unknown };

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });

/** Every way `value` misfits `schema` (one issue per path), resolving `$ref`s in `root`. */
export function validateSchema(schema: unknown, value: unknown, root: unknown): SchemaIssue[] {
  const components = asObject(root)?.components;
  const rooted = typeof schema === 'boolean' ? schema : { ...asObject(schema), components };
  const validate = ajv.compile(rooted);
  if (validate(value)) return [];
  const issues = new Map<string, string>();
  for (const error of validate.errors ?? []) {
    const extra =
      error.keyword === 'additionalProperties' ? `/${String(error.params.additionalProperty)}` : '';
    const path = `${error.instancePath}${extra}`;
    if (!issues.has(path)) issues.set(path, error.message ?? error.keyword);
  }
  return [...issues].map(([path, message]) => ({ path, message }));
}

/**
 * The schema the document gives for a response of `operationId` with `status` and
 * `contentType` (parameters such as `; charset=utf-8` are ignored), or an Error saying what the
 * document lacks: an undocumented status or media type is itself a finding.
 */
export function responseSchema(
  document: unknown,
  operationId: string,
  status: number,
  contentType: string,
): unknown {
  const operation = findOperation(document, operationId);
  if (operation === undefined) throw new Error(`The document has no operation ${operationId}`);
  const responses = asObject(operation.responses) ?? {};
  const response = resolveLocal(responses[String(status)], document);
  if (response === undefined) throw new Error(`${operationId} documents no ${status} response`);
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const content = asObject(response.content) ?? {};
  const media = asObject(content[mediaType]);
  if (media === undefined) {
    throw new Error(
      `${operationId} ${status} documents no ${mediaType} content (has ${Object.keys(content).join(', ')})`,
    );
  }
  return media.schema;
}

/** The operation object whose operationId is `operationId`. */
export function findOperation(document: unknown, operationId: string): SchemaObject | undefined {
  const paths = asObject(asObject(document)?.paths) ?? {};
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(asObject(item) ?? {})) {
      const candidate = asObject(operation);
      if (candidate?.operationId === operationId) return candidate;
    }
  }
  return undefined;
}

/** Follows one `$ref` of a response object (`#/components/responses/...`). */
function resolveLocal(value: unknown, root: unknown): SchemaObject | undefined {
  const object = asObject(value);
  if (object === undefined || typeof object.$ref !== 'string') return object;
  let target: unknown = root;
  for (const raw of object.$ref.replace(/^#\//, '').split('/')) {
    target = asObject(target)?.[raw.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return asObject(target);
}

function asObject(value: unknown): SchemaObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as SchemaObject)
    : undefined;
}
