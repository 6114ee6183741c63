/**
 * The exports this desk started (the API has no list of exports): each kept with what it was
 * asked for, in sessionStorage (a reload keeps them, closing the tab forgets them), its progress
 * polled (GET /v1/exports/{id}) until ready or failed. A download asks for a fresh presigned
 * link first: the one an answer carries is valid for at most 300 s.
 */
import { signal } from '@preact/signals';
import type * as z from 'zod/mini';
import type { exportContracts } from '#routes/contracts/exports.ts';
import type { ApiProblem } from '../api/client.ts';
import { api } from './api.ts';
import { settle } from './parts.tsx';

export type ExportRequest = z.input<typeof exportContracts.createExport.body>;

export interface StartedExport {
  exportId: string;
  kind: ExportRequest['kind'];
  format: 'csv' | 'xlsx';
  filters: Record<string, unknown>;
  startedAt: string;
  status: 'running' | 'ready' | 'failed';
  rows?: number;
}

const storageKey = 'par-console-exports';
/** How many are kept: the most recent first. */
const kept = 20;

function stored(): StartedExport[] {
  try {
    const raw = sessionStorage.getItem(storageKey);
    const parsed: unknown = raw === null ? [] : JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as StartedExport[]) : [];
  } catch {
    return [];
  }
}

export const recentExports = signal<StartedExport[]>(stored());

function save(list: StartedExport[]): void {
  recentExports.value = list.slice(0, kept);
  try {
    sessionStorage.setItem(storageKey, JSON.stringify(recentExports.value));
  } catch {
    // A full or refused storage only loses the list, never the export.
  }
}

function update(exportId: string, change: Partial<StartedExport>): void {
  save(recentExports.value.map((entry) => (entry.exportId === exportId ? { ...entry, ...change } : entry)));
}

/** Starts an export; answers its entry or the problem's text. */
export async function startExport(
  request: ExportRequest,
  idempotencyKey: string,
): Promise<{ ok: true; entry: StartedExport } | { ok: false; problem: ApiProblem }> {
  const result = await settle(() => api.createExport(request, idempotencyKey));
  if (!result.ok) return { ok: false, problem: result.problem };
  const entry: StartedExport = {
    exportId: result.body.exportId,
    kind: request.kind,
    format: request.format ?? 'csv',
    filters: { ...(request.filters ?? {}) },
    startedAt: new Date().toISOString(),
    status: 'running',
  };
  // The same key answers the same export: it is listed once.
  save([entry, ...recentExports.value.filter((e) => e.exportId !== entry.exportId)]);
  watch(entry.exportId);
  return { ok: true, entry };
}

const watched = new Set<string>();
/** The link of the answer that said ready (fresh then; kept in memory only, never stored). */
const readyLinks = new Map<string, string>();

/** The link the export's ready answer carried, for a download right after it. */
export function readyLink(exportId: string): string | undefined {
  return readyLinks.get(exportId);
}

/** Polls an export every second until it is ready or failed (once per export and page). */
export function watch(exportId: string): void {
  if (watched.has(exportId)) return;
  watched.add(exportId);
  const poll = async () => {
    const result = await settle(() => api.getExport(exportId));
    if (!result.ok) {
      // A network blip: try again; an answer of the API (404, 403) ends the watch.
      if (result.problem.status === 0) setTimeout(() => void poll(), 2_000);
      else {
        update(exportId, { status: 'failed' });
        watched.delete(exportId);
      }
      return;
    }
    const body = result.body;
    if (body.status === 'running') {
      setTimeout(() => void poll(), 1_000);
      return;
    }
    if (body.downloadUrl !== undefined) readyLinks.set(exportId, body.downloadUrl);
    update(exportId, {
      status: body.status,
      ...(body.rowCount !== undefined ? { rows: body.rowCount } : {}),
    });
    watched.delete(exportId);
  };
  setTimeout(() => void poll(), 500);
}

/** The exports of an earlier page still running: watched again. */
export function resumeWatching(): void {
  for (const entry of recentExports.value) if (entry.status === 'running') watch(entry.exportId);
}

/** A file name for an export: what it holds, its ID, its format. */
export function fileNameOf(entry: Pick<StartedExport, 'exportId' | 'kind' | 'format'>): string {
  return `${entry.kind === 'findings' ? 'ton-tai' : 'xep-hang'}-${entry.exportId}.${entry.format}`;
}

/** A fresh presigned link for a ready export, or null when the API no longer gives one. */
export async function freshLink(exportId: string): Promise<string | null> {
  const result = await settle(() => api.getExport(exportId));
  return result.ok && result.body.status === 'ready' ? (result.body.downloadUrl ?? null) : null;
}

/** Downloads a ready export through a link asked for now; false when none was given. */
export async function downloadNow(
  entry: Pick<StartedExport, 'exportId' | 'kind' | 'format'>,
): Promise<boolean> {
  const url = await freshLink(entry.exportId);
  if (url === null) return false;
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileNameOf(entry);
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  return true;
}
