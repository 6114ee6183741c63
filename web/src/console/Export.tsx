/**
 * A findings export started from the filters on screen (POST /v1/exports), its progress polled
 * (GET /v1/exports/{id}: running, ready or failed, web/src/console/exports.ts, which also lists
 * it on the exports page) and its CSV downloaded through the presigned link the ready answer
 * carries (valid for at most 300 s; the exports page asks for a fresh one).
 */
import { useState } from 'preact/hooks';
import type { FindingFilters } from './api.ts';
import { fileNameOf, readyLink, recentExports, startExport } from './exports.ts';
import { cm } from './messages.ts';
import { newKey, problemText } from './parts.tsx';

/** The findings filters of the address as an export body takes them (`overdue` a boolean). */
export function exportFilters(filters: Record<string, string>): FindingFilters {
  const { overdue, ...rest } = filters;
  return { ...rest, ...(overdue === 'true' ? { overdue: true } : {}) };
}

export function ExportPanel(props: { filters: Record<string, string> }) {
  const m = cm.value;
  const [exportId, setExportId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [key, setKey] = useState(newKey);
  const entry = recentExports.value.find((e) => e.exportId === exportId);
  const step = failure !== null ? 'failed' : (entry?.status ?? 'idle');
  const url = entry?.status === 'ready' ? readyLink(entry.exportId) : undefined;
  return (
    <section class="panel actions" aria-labelledby="export-title" data-export={step}>
      <h2 id="export-title">{m.exportTitle}</h2>
      <p class="hint">{m.exportHint}</p>
      <button
        type="button"
        disabled={step === 'running'}
        onClick={async () => {
          const started = await startExport(
            { kind: 'findings', format: 'csv', filters: exportFilters(props.filters) },
            key,
          );
          // A new key for the next export; this one stays with the started one (a retry finds it).
          setKey(newKey());
          if (started.ok) {
            setFailure(null);
            setExportId(started.entry.exportId);
          } else setFailure(problemText(started.problem));
        }}
      >
        {m.exportStart}
      </button>
      {step === 'running' && <p role="status">{m.exportRunning}</p>}
      {entry !== undefined && step === 'ready' && (
        <p role="status">
          {m.exportReady(entry.rows ?? 0)}{' '}
          {url !== undefined && (
            <a href={url} download={fileNameOf(entry)} class="button primary">
              {m.exportDownload}
            </a>
          )}
        </p>
      )}
      {step === 'failed' && (
        <p class="error" role="alert">
          {failure ?? m.exportFailed}
        </p>
      )}
    </section>
  );
}
