import { ConflictError, ValidationError } from '#domain/errors.ts';
import { sameTemplateDocument, type TemplateDocument, templateProblems } from '#domain/template.ts';
import { StaleWriteError } from '#ports/errors.ts';
import type { Page, PageRequest, TemplateRecord } from '#ports/records.ts';
import type { Deps } from './deps.ts';
import { type Outcome, once } from './idempotency.ts';
import { audit, type Caller, notFound } from './support.ts';

const templateNotFound = () => notFound({ vi: 'Không tìm thấy phiếu kiểm tra.', en: 'Template not found.' });

/** A version as clients see it: `publishedByName` null, not absent, on versions published before it was kept. */
export function templateView(template: TemplateRecord): TemplateRecord & { publishedByName: string | null } {
  return { ...template, publishedByName: template.publishedByName ?? null };
}

export async function listTemplates(
  deps: Pick<Deps, 'templates'>,
  page: PageRequest,
): Promise<Page<TemplateRecord>> {
  const result = await deps.templates.listLatestTemplates(page);
  return { ...result, items: result.items.map(templateView) };
}

export async function getTemplateVersion(
  deps: Pick<Deps, 'templates'>,
  templateId: string,
  version: number | 'latest',
): Promise<TemplateRecord> {
  const template =
    version === 'latest'
      ? await deps.templates.getLatestTemplate(templateId)
      : await deps.templates.getTemplateVersion(templateId, version);
  if (!template) throw templateNotFound();
  return templateView(template);
}

/**
 * Validates and publishes the next version. A document equal to the latest version answers that
 * version (200) instead of publishing a copy; an Idempotency-Key replays the first answer.
 */
export function publishTemplate(
  deps: Pick<Deps, 'clock' | 'idempotency' | 'templates'>,
  caller: Caller,
  templateId: string,
  document: TemplateDocument,
  idempotencyKey: string | null,
): Promise<Outcome<TemplateRecord>> {
  return once(
    deps.idempotency,
    `publishTemplate#${caller.sub}`,
    idempotencyKey,
    { templateId, document },
    async () => {
      const problems = templateProblems(document);
      if (problems.length > 0) {
        throw new ValidationError(
          { vi: 'Phiếu kiểm tra không hợp lệ.', en: 'The template is not valid.' },
          problems,
        );
      }
      for (let attempt = 0; attempt < 3; attempt++) {
        const latest = await deps.templates.getLatestTemplate(templateId, true);
        if (latest && sameTemplateDocument(latest, document))
          return { status: 200, body: templateView(latest) };
        const now = deps.clock.now().toISOString();
        const template: TemplateRecord = {
          ...document,
          templateId,
          version: (latest?.version ?? 0) + 1,
          publishedAt: now,
          publishedBy: caller.sub,
          publishedByName: caller.name,
        };
        try {
          await deps.templates.publishTemplate(
            template,
            audit({ type: 'template', id: templateId }, 'publish', caller, now, {
              from: latest ? String(latest.version) : null,
              to: String(template.version),
            }),
          );
          return { status: 201, body: template };
        } catch (error) {
          if (!(error instanceof StaleWriteError)) throw error;
          // Another version was published meanwhile; recompute against it.
        }
      }
      throw new ConflictError({
        vi: 'Phiếu kiểm tra đang được công bố đồng thời; hãy thử lại.',
        en: 'The template is being published concurrently; try again.',
      });
    },
  );
}
