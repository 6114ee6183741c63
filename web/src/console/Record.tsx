/**
 * The inspection record (biên bản) of an approved visit: one button makes it
 * (POST /v1/visits/{visitId}/record, the same record while the visit is unchanged), its build is
 * polled (GET /v1/records/{recordId}) and, when ready, the PDF and DOCX are offered through
 * the presigned links it answers (valid 300 s: asked again at each poll).
 */
import { useEffect, useState } from 'preact/hooks';
import { language } from '../i18n/index.ts';
import { api } from './api.ts';
import { problemText, settle } from './parts.tsx';

const texts = {
  vi: {
    title: 'Biên bản kiểm tra',
    make: 'Biên bản',
    running: 'Đang lập biên bản…',
    failed: 'Không lập được biên bản; hãy thử lại.',
    signed: 'Đã có bản ký.',
  },
  en: {
    title: 'Inspection record',
    make: 'Record',
    running: 'Making the record…',
    failed: 'The record could not be made; try again.',
    signed: 'Its signed scan is in.',
  },
} as const;

type State =
  | { step: 'idle' }
  | { step: 'running'; recordId: string }
  | { step: 'ready'; numberText: string; pdfUrl: string; docxUrl: string; signed: boolean }
  | { step: 'failed'; text: string };

export function RecordPanel(props: { visitId: string }) {
  const m = texts[language.value];
  const [state, setState] = useState<State>({ step: 'idle' });
  useEffect(() => {
    if (state.step !== 'running') return;
    let stop = false;
    const poll = async () => {
      const result = await settle(() => api.getRecord(state.recordId));
      if (stop) return;
      const body = result.ok ? result.body : null;
      if (!result.ok) setState({ step: 'failed', text: problemText(result.problem) });
      else if (body?.pdfUrl !== undefined && body.docxUrl !== undefined)
        setState({
          step: 'ready',
          numberText: body.numberText,
          pdfUrl: body.pdfUrl,
          docxUrl: body.docxUrl,
          signed: body.status === 'signed',
        });
      else if (body?.status === 'failed') setState({ step: 'failed', text: m.failed });
      else timer = setTimeout(() => void poll(), 1_000);
    };
    let timer = setTimeout(() => void poll(), 300);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [state.step === 'running' ? state.recordId : null]);
  return (
    <section class="panel actions" aria-labelledby="record-title" data-record={state.step}>
      <h2 id="record-title">{m.title}</h2>
      <button
        type="button"
        disabled={state.step === 'running'}
        onClick={async () => {
          const result = await settle(() => api.createRecord(props.visitId));
          setState(
            result.ok
              ? { step: 'running', recordId: result.body.recordId }
              : { step: 'failed', text: problemText(result.problem) },
          );
        }}
      >
        {m.make}
      </button>
      {state.step === 'running' && <p role="status">{m.running}</p>}
      {state.step === 'ready' && (
        <p role="status">
          {state.numberText}{' '}
          <a href={state.pdfUrl} class="button primary">
            PDF
          </a>{' '}
          <a href={state.docxUrl} class="button">
            DOCX
          </a>
          {state.signed && ` ${m.signed}`}
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
