/**
 * A findings export started from the filters on screen (POST /v1/exports), its progress polled
 * (GET /v1/exports/{id}: running, ready or failed) and its CSV downloaded through the presigned
 * link it answers (valid for at most 300 s: the link is asked again at each poll).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type FindingFilters } from './api.ts';
import { cm } from './messages.ts';
import { newKey, problemText, settle } from './parts.tsx';

type State =
  | { step: 'idle' }
  | { step: 'running'; exportId: string }
  | { step: 'ready'; exportId: string; rows: number; url: string }
  | { step: 'failed'; text: string };

/** The findings filters of the address as an export body takes them (`overdue` a boolean). */
export function exportFilters(filters: Record<string, string>): FindingFilters {
  const { overdue, ...rest } = filters;
  return { ...rest, ...(overdue === 'true' ? { overdue: true } : {}) };
}

export function ExportPanel(props: { filters: Record<string, string> }) {
  const m = cm.value;
  const [state, setState] = useState<State>({ step: 'idle' });
  const [key, setKey] = useState(newKey);
  useEffect(() => {
    if (state.step !== 'running') return;
    let stop = false;
    const poll = async () => {
      const result = await settle(() => api.getExport(state.exportId));
      if (stop) return;
      if (!result.ok) setState({ step: 'failed', text: problemText(result.problem) });
      else if (result.body.status === 'ready' && result.body.downloadUrl !== undefined)
        setState({
          step: 'ready',
          exportId: state.exportId,
          rows: result.body.rowCount ?? 0,
          url: result.body.downloadUrl,
        });
      else if (result.body.status === 'failed') setState({ step: 'failed', text: m.exportFailed });
      else timer = setTimeout(() => void poll(), 1_000);
    };
    let timer = setTimeout(() => void poll(), 500);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [state.step === 'running' ? state.exportId : null]);
  return (
    <section class="panel actions" aria-labelledby="export-title" data-export={state.step}>
      <h2 id="export-title">{m.exportTitle}</h2>
      <p class="hint">{m.exportHint}</p>
      <button
        type="button"
        disabled={state.step === 'running'}
        onClick={async () => {
          const result = await settle(() => api.createExport(exportFilters(props.filters), key));
          // A new key for the next export; this one stays with the started one (a retry finds it).
          setKey(newKey());
          setState(
            result.ok
              ? { step: 'running', exportId: result.body.exportId }
              : { step: 'failed', text: problemText(result.problem) },
          );
        }}
      >
        {m.exportStart}
      </button>
      {state.step === 'running' && <p role="status">{m.exportRunning}</p>}
      {state.step === 'ready' && (
        <p role="status">
          {m.exportReady(state.rows)}{' '}
          <a href={state.url} download={`ton-tai-${state.exportId}.csv`} class="button primary">
            {m.exportDownload}
          </a>
        </p>
      )}
      {state.step === 'failed' && (
        <p class="error" role="alert">
          {state.text}
        </p>
      )}
    </section>
  );
}
