import { buildOpenApiDocument } from './document.ts';

/** docs/openapi.json exactly as committed: 2-space indent and a trailing newline. */
export function openApiJson(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
