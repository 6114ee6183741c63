import type { AuditEntry, Page, PageRequest, TemplateRecord } from '#ports/records.ts';
import type { TemplateStore } from '#ports/store.ts';
import { auditPut } from './audit.ts';
import { type Documents, withoutKeys } from './documents.ts';
import { templateLatestIndex, templateLatestKey, templatesPartition, templateVersionKey } from './keys.ts';

export class DynamoTemplateStore implements TemplateStore {
  constructor(private readonly documents: Documents) {}

  async getTemplateVersion(templateId: string, version: number): Promise<TemplateRecord | null> {
    // Published versions never change, so an eventually consistent read is exact once visible.
    const item = await this.documents.get(templateVersionKey(templateId, version));
    return item ? withoutKeys<TemplateRecord>(item) : null;
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
