import { signal } from '@preact/signals';
import { createVisit } from '../actions.ts';
import { localText, t } from '../i18n/index.ts';
import { searchByName } from '../lib/search.ts';
import { latestTemplates, units } from '../state.ts';
import { AppLink } from './parts.tsx';

const query = signal('');
const chosenUnit = signal<string | null>(null);
const chosenTemplate = signal<string | null>(null);

export function NewVisitScreen() {
  const m = t.value;
  // Only units one can visit: the province itself is the scope, not a counter.
  const candidates = units.value.filter((u) => u.kind !== 'province' && u.abolishedOn === undefined);
  const found = searchByName(candidates, query.value);
  const templates = latestTemplates.value;
  const templateId =
    chosenTemplate.value ?? (templates.length === 1 ? (templates[0]?.templateId ?? null) : null);
  const template = templates.find((x) => x.templateId === templateId);
  const unitId = chosenUnit.value;
  return (
    <>
      <AppLink to={{ name: 'home' }} class="link back">
        {`← ${m.back}`}
      </AppLink>
      <h1>{m.pickUnit}</h1>
      <label class="field">
        {m.searchUnit}
        <input type="search" value={query.value} onInput={(e) => (query.value = e.currentTarget.value)} />
      </label>
      {units.value.length === 0 ? (
        <p>{m.unitsNotLoaded}</p>
      ) : found.length === 0 ? (
        <p>{m.noUnits}</p>
      ) : (
        <fieldset class="choices">
          <legend class="visually-hidden">{m.pickUnit}</legend>
          {found.map((unit) => (
            <label key={unit.unitId} class="choice">
              <input
                type="radio"
                name="unit"
                value={unit.unitId}
                checked={unitId === unit.unitId}
                onChange={() => (chosenUnit.value = unit.unitId)}
              />
              {unit.name}
            </label>
          ))}
        </fieldset>
      )}
      <h2>{m.pickTemplate}</h2>
      {templates.length === 0 ? (
        <p>{m.noTemplates}</p>
      ) : (
        <fieldset class="choices">
          <legend class="visually-hidden">{m.pickTemplate}</legend>
          {templates.map((x) => (
            <label key={x.templateId} class="choice">
              <input
                type="radio"
                name="template"
                value={x.templateId}
                checked={templateId === x.templateId}
                onChange={() => (chosenTemplate.value = x.templateId)}
              />
              {`${localText(x.title)} (${m.templateVersion(x.version)})`}
            </label>
          ))}
        </fieldset>
      )}
      <button
        type="button"
        class="primary"
        disabled={unitId === null || template === undefined}
        onClick={() => {
          if (unitId !== null && template !== undefined) {
            chosenUnit.value = null;
            query.value = '';
            void createVisit(unitId, template);
          }
        }}
      >
        {m.startVisit}
      </button>
    </>
  );
}
