import { readFileSync } from 'node:fs';
import { type TemplateDocument, templateDocumentSchema } from '#domain/template.ts';

/** The reference checklist the project ships (shared/seed), parsed as the API would. */
export function referenceTemplate(): TemplateDocument {
  const url = new URL('../../../shared/seed/one-stop-counter.template.json', import.meta.url);
  return templateDocumentSchema.parse(JSON.parse(readFileSync(url, 'utf8')));
}
