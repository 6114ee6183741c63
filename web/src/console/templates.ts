/** The latest version of each checklist, and any version a screen asked for, once per session. */
import { signal } from '@preact/signals';
import { api, type ConsoleTemplate } from './api.ts';
import { settle } from './parts.tsx';

export const templatesList = signal<ConsoleTemplate[]>([]);
const versions = new Map<string, Promise<ConsoleTemplate | null>>();

/** Whether the list has been answered once (a screen whose fields need it waits for it). */
export const templatesLoaded = signal(false);

export async function loadTemplates(): Promise<void> {
  const result = await settle(() => api.listTemplates());
  if (result.ok) templatesList.value = result.body.items;
  templatesLoaded.value = true;
}

/** One version of a checklist (`latest` is not cached: a new version may be published). */
export function templateVersion(templateId: string, version: number): Promise<ConsoleTemplate | null> {
  const key = `${templateId}@${version}`;
  let found = versions.get(key);
  if (found === undefined) {
    found = settle(() => api.getTemplateVersion(templateId, version)).then((result) => {
      if (!result.ok) versions.delete(key);
      return result.ok ? result.body : null;
    });
    versions.set(key, found);
  }
  return found;
}
