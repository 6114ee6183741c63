import type { AuditEntry, Page, PageRequest, TemplateRecord } from '#ports/records.ts';
import type { TemplateStore } from '#ports/store.ts';
import { auditPut } from './audit.ts';
import { type Documents, withoutKeys } from './documents.ts';
import { templateLatestIndex, templateLatestKey, templatesPartition, templateVersionKey } from './keys.ts';

/** Template versions kept in memory per store (so per warm function): a province uses a few. */
const cachedVersions = 32;

export class DynamoTemplateStore implements TemplateStore {
  // Published versions never change: once read, a version is answered from memory, which saves
  // a round trip on every save, submit and approval of a warm function. Misses are not kept.
  private readonly versions = new Map<string, TemplateRecord>();

  constructor(private readonly documents: Documents) {}

  async getTemplateVersion(templateId: string, version: number): Promise<TemplateRecord | null> {
    const cacheKey = `${templateId}#${version}`;
    const cached = this.versions.get(cacheKey);
    if (cached) return structuredClone(cached);
    // An eventually consistent read is exact once the version is visible.
    const item = await this.documents.get(templateVersionKey(templateId, version));
    if (!item) return null;
    const template = withoutKeys<TemplateRecord>(item);
    if (this.versions.size >= cachedVersions) {
      const oldest = this.versions.keys().next();
      if (!oldest.done) this.versions.delete(oldest.value);
    }
    this.versions.set(cacheKey, structuredClone(template));
    return template;
  }

  async getLatestTemplate(templateId: string, consistent = false): Promise<TemplateRecord | null> {
    const item = await this.documents.get(templateLatestKey(templateId), consistent);
    return item ? withoutKeys<TemplateRecord>(item) : null;
  }

  async listLatestTemplates(page: PageRequest): Promise<Page<TemplateRecord>> {
    const result = await this.documents.queryPage(
      {
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :p',
        ExpressionAttributeValues: { ':p': templatesPartition },
      },
      page,
    );
    return {
      items: result.items.map((item) => withoutKeys<TemplateRecord>(item)),
      nextCursor: result.nextCursor,
    };
  }

  async publishTemplate(template: TemplateRecord, audit: AuditEntry): Promise<void> {
    const versionKey = templateVersionKey(template.templateId, template.version);
    const latestKey = templateLatestKey(template.templateId);
    await this.documents.transact([
      // A version is written once and never replaced.
      this.documents.put(
        { ...versionKey, entity: 'templateVersion', ...template },
        { expression: 'attribute_not_exists(pk)' },
      ),
      // The latest pointer moves only from the version this publish was computed from.
      this.documents.put(
        { ...latestKey, ...templateLatestIndex(template.templateId), entity: 'templateLatest', ...template },
        template.version === 1
          ? { expression: 'attribute_not_exists(pk)' }
          : {
              expression: '#v = :previous',
              names: { '#v': 'version' },
              values: { ':previous': template.version - 1 },
            },
      ),
      auditPut(this.documents, versionKey, audit),
    ]);
  }
}
