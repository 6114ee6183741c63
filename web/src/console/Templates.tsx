/**
 * Checklists (phiếu kiểm tra): the latest version of each (GET /v1/templates), every version read
 * in full (GET /v1/templates/{id}/versions/{n}: sections, items with their answer, points,
 * severity, photo rule and remediation days, deductions, bands, evidence settings), and for admins
 * a new version published from a JSON file (POST /v1/templates/{id}/versions). A refused file
 * shows every problem of the API's 422 at once, each with its path in the document.
 */
import { useState } from 'preact/hooks';
import { currentUser, isAdmin } from '../auth.ts';
import { formatDateTime, formatNumber, localText } from '../i18n/index.ts';
import { api, type ConsoleTemplate } from './api.ts';
import { cm } from './messages.ts';
import { ConsoleLink, newKey, personName, problemText, Show, settle, useResource } from './parts.tsx';
import { loadTemplates, templatesList } from './templates.ts';

const versionPath = (templateId: string, version: number) =>
  `/console/templates/${encodeURIComponent(templateId)}/versions/${version}`;

type Item = ConsoleTemplate['sections'][number]['items'][number];

function answerSpec(item: Item): string {
  const m = cm.value;
  const spec = item.answer;
  switch (spec.type) {
    case 'yes_no':
      return m.answerType.yes_no;
    case 'rating':
      return `${m.answerType.rating} ${spec.min}–${spec.max}`;
    case 'percent':
      return spec.target === undefined
        ? m.answerType.percent
        : `${m.answerType.percent} (${m.target} ${formatNumber(spec.target)} %)`;
    case 'count':
      return m.answerType.count;
  }
}

/** What the server answered to a file: a new version, the same as the latest, or its problems. */
type Outcome =
  | { kind: 'published' | 'same'; template: ConsoleTemplate }
  | { kind: 'problems'; detail: string; problems: Array<{ path: string; message: string }> }
  | { kind: 'error'; text: string };

function PublishForm() {
  const m = cm.value;
  const [templateId, setTemplateId] = useState(templatesList.value[0]?.templateId ?? '');
  const [file, setFile] = useState<File | null>(null);
  // One key per chosen file and checklist: a second click on the same choice is the same request.
  const [key, setKey] = useState(newKey());
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function publish() {
    if (file === null) {
      setOutcome({ kind: 'error', text: m.fileNeeded });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await file.text());
    } catch (error) {
      setOutcome({ kind: 'error', text: m.notJson(error instanceof Error ? error.message : String(error)) });
      return;
    }
    setBusy(true);
    const result = await settle(() => api.publishTemplateVersion(templateId, body, key));
    setBusy(false);
    if (result.ok) {
      setOutcome({ kind: result.status === 201 ? 'published' : 'same', template: result.body });
      void loadTemplates();
      return;
    }
    const problem = result.problem;
    if (problem.status === 422 && problem.errors.length > 0) {
      setOutcome({ kind: 'problems', detail: problem.detail, problems: problem.errors });
    } else setOutcome({ kind: 'error', text: problemText(problem) });
  }

  return (
    <section class="panel publish-template" aria-labelledby="publish-title">
      <h2 id="publish-title">{m.publishTemplate}</h2>
      <p class="hint">{m.publishTemplateHint}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void publish();
        }}
      >
        <label for="publish-template-id">{m.templateId}</label>
        <input
          id="publish-template-id"
          required
          pattern="[a-z0-9][a-z0-9\-]{1,63}"
          title={m.templateIdHint}
          list="template-ids"
          value={templateId}
          onInput={(event) => {
            setTemplateId(event.currentTarget.value.trim());
            setKey(newKey());
          }}
        />
        <datalist id="template-ids">
          {templatesList.value.map((template) => (
            <option key={template.templateId} value={template.templateId} />
          ))}
        </datalist>
        <label for="publish-file">{m.templateFile}</label>
        <input
          id="publish-file"
          type="file"
          accept="application/json,.json"
          onChange={(event) => {
            setFile(event.currentTarget.files?.[0] ?? null);
            setKey(newKey());
            setOutcome(null);
          }}
        />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? m.working : m.publishVersion}
        </button>
      </form>
      {outcome?.kind === 'published' || outcome?.kind === 'same' ? (
        <p class="notice" role="status" data-published={outcome.template.version}>
          {outcome.kind === 'published'
            ? m.versionPublished(localText(outcome.template.title), outcome.template.version)
            : m.versionSame(outcome.template.version)}{' '}
          <ConsoleLink to={versionPath(outcome.template.templateId, outcome.template.version)}>
            {m.openVersion(outcome.template.version)}
          </ConsoleLink>
        </p>
      ) : outcome?.kind === 'problems' ? (
        <div class="error template-problems" role="alert">
          <p>
            <strong>{m.fileProblems(outcome.problems.length)}</strong> {outcome.detail}
          </p>
          <ol>
            {outcome.problems.map((problem, index) => (
              <li key={`${index}-${problem.path}`} data-path={problem.path}>
                <code>{problem.path === '' ? m.wholeFile : problem.path}</code>
                {`: ${problem.message}`}
              </li>
            ))}
          </ol>
        </div>
      ) : outcome?.kind === 'error' ? (
        <p class="error" role="alert">
          {outcome.text}
        </p>
      ) : null}
    </section>
  );
}

export function TemplatesScreen() {
  const m = cm.value;
  const templates = templatesList.value;
  return (
    <>
      <h1>{m.templatesTitle}</h1>
      <p>{m.templatesIntro}</p>
      {templates.length === 0 ? (
        <p>{m.noTemplates}</p>
      ) : (
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{m.template}</th>
              <th scope="col">{m.templateId}</th>
              <th scope="col" class="num">
                {m.latestVersion}
              </th>
              <th scope="col">{m.publishedAt}</th>
              <th scope="col">{m.versions}</th>
            </tr>
          </thead>
          <tbody>
            {templates.map((template) => (
              <tr key={template.templateId} data-template={template.templateId}>
                <th scope="row">
                  <ConsoleLink to={versionPath(template.templateId, template.version)}>
                    {localText(template.title)}
                  </ConsoleLink>
                </th>
                <td>
                  <code>{template.templateId}</code>
                </td>
                <td class="num">{template.version}</td>
                <td>{`${formatDateTime(template.publishedAt)} · ${personName(template.publishedBy, [], template.publishedByName)}`}</td>
                <td>
                  <VersionLinks template={template} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isAdmin(currentUser.value) && <PublishForm />}
    </>
  );
}

/** Links to every version of a checklist, 1 to its latest (versions are numbered without gaps). */
function VersionLinks(props: { template: { templateId: string; version: number }; current?: number }) {
  const m = cm.value;
  const numbers = Array.from({ length: props.template.version }, (_, index) => index + 1);
  return (
    <ul class="version-links" aria-label={m.versions}>
      {numbers.map((version) => (
        <li key={version}>
          <ConsoleLink
            to={versionPath(props.template.templateId, version)}
            label={m.versionLabel(version)}
            current={props.current === version}
          >
            {String(version)}
          </ConsoleLink>
        </li>
      ))}
    </ul>
  );
}

function VersionBody(props: { template: ConsoleTemplate }) {
  const m = cm.value;
  const template = props.template;
  const latest = templatesList.value.find((t) => t.templateId === template.templateId);
  const {
    templateId: _id,
    version: _v,
    publishedAt: _at,
    publishedBy: _by,
    publishedByName: _name,
    ...document
  } = template;
  const download = `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(document, null, 2))}`;
  return (
    <>
      <h1>{m.templateVersion(localText(template.title), template.version)}</h1>
      <dl class="facts meta" data-template={template.templateId} data-version={template.version}>
        <dt>{m.templateId}</dt>
        <dd>
          <code>{template.templateId}</code>
        </dd>
        <dt>{m.publishedAt}</dt>
        <dd>{`${formatDateTime(template.publishedAt)} · ${personName(template.publishedBy, [], template.publishedByName)}`}</dd>
        <dt>{m.versions}</dt>
        <dd>
          <VersionLinks template={latest ?? template} current={template.version} />
        </dd>
        <dt>{m.radius}</dt>
        <dd>{`${formatNumber(template.evidence?.radiusM ?? 500)} m`}</dd>
        <dt>{m.requireLocation}</dt>
        <dd>{template.evidence?.requireLocation === true ? m.yes : m.no}</dd>
      </dl>
      <p class="links">
        <a href={download} download={`${template.templateId}-v${template.version}.json`}>
          {m.downloadVersion}
        </a>
      </p>
      {template.sections.map((section) => (
        <section key={section.code} aria-labelledby={`tsection-${section.code}`} data-section={section.code}>
          <h2 id={`tsection-${section.code}`}>{`${section.code}. ${localText(section.title)}`}</h2>
          <table class="grid">
            <thead>
              <tr>
                <th scope="col">{m.item}</th>
                <th scope="col">{m.answerKind}</th>
                <th scope="col" class="num">
                  {m.maxPoints}
                </th>
                <th scope="col">{m.severityLabel}</th>
                <th scope="col">{m.photoRule}</th>
                <th scope="col" class="num">
                  {m.remediationDays}
                </th>
              </tr>
            </thead>
            <tbody>
              {section.items.map((item) => (
                <tr key={item.code} data-item={item.code}>
                  <th scope="row">
                    <span class="code">{item.code}</span> {localText(item.text)}
                    {item.allowNotApplicable && <span class="badge">{m.notApplicableAllowed}</span>}
                  </th>
                  <td>{answerSpec(item)}</td>
                  <td class="num">{formatNumber(item.maxPoints)}</td>
                  <td>{m.severity[item.severity]}</td>
                  <td>{m.photoRequirement[item.photo]}</td>
                  <td class="num">{item.remediationDays}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <section aria-labelledby="tdeductions">
        <h2 id="tdeductions">{m.deductions}</h2>
        {(template.deductions ?? []).length === 0 ? (
          <p>{m.noDeductions}</p>
        ) : (
          <table class="grid">
            <thead>
              <tr>
                <th scope="col">{m.item}</th>
                <th scope="col" class="num">
                  {m.pointsEach}
                </th>
                <th scope="col" class="num">
                  {m.maxCount}
                </th>
              </tr>
            </thead>
            <tbody>
              {(template.deductions ?? []).map((rule) => (
                <tr key={rule.code} data-deduction={rule.code}>
                  <th scope="row">
                    <span class="code">{rule.code}</span> {localText(rule.text)}
                  </th>
                  <td class="num">{formatNumber(rule.points)}</td>
                  <td class="num">{rule.maxCount ?? m.none}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="tbands">
        <h2 id="tbands">{m.bands}</h2>
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{m.band}</th>
              <th scope="col">{m.bandCode}</th>
              <th scope="col" class="num">
                {m.minScore}
              </th>
            </tr>
          </thead>
          <tbody>
            {template.bands.map((band) => (
              <tr key={band.code} data-band={band.code}>
                <th scope="row">{localText(band.label)}</th>
                <td>{band.code}</td>
                <td class="num">{formatNumber(band.minScore)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

export function TemplateVersionScreen(props: { templateId: string; version: number }) {
  const key = `${props.templateId}@${props.version}`;
  const [template, reload] = useResource(key, () => api.getTemplateVersion(props.templateId, props.version));
  return (
    <Show what={template} retry={() => void reload()}>
      {(body) => <VersionBody template={body} />}
    </Show>
  );
}
