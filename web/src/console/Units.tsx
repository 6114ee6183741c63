/**
 * The unit tree of the caller's jurisdiction: the tree as the console loaded it level by level
 * (GET /v1/units?parentId=, web/src/console/units.ts), each level opened on request, and a unit's
 * page read afresh (GET /v1/units/{id}) with its path, code, office and the units under it
 * (GET /v1/units?parentId={id}, paged on the API's cursor).
 */
import { useState } from 'preact/hooks';
import { api, type ConsoleUnit } from './api.ts';
import { CursorRows } from './filters.tsx';
import { cm } from './messages.ts';
import { ConsoleLink, DateText, DateTimeText, Show, useResource } from './parts.tsx';
import { childrenOf, unitIndex, unitName, unitRoots, unitsState } from './units.ts';

function UnitNode(props: { unit: ConsoleUnit; open: boolean }) {
  const m = cm.value;
  const [open, setOpen] = useState(props.open);
  const children = childrenOf(props.unit.unitId);
  const listId = `unit-children-${props.unit.unitId}`;
  return (
    <li data-unit={props.unit.unitId}>
      <div class="unit-line">
        {children.length > 0 ? (
          <button
            type="button"
            class="toggle"
            aria-expanded={open}
            aria-controls={open ? listId : undefined}
            aria-label={m.unitChildren(props.unit.name, children.length)}
            onClick={() => setOpen(!open)}
          >
            {open ? '−' : '+'}
          </button>
        ) : (
          <span class="toggle-space" />
        )}
        <ConsoleLink to={`/console/units/${encodeURIComponent(props.unit.unitId)}`}>
          {props.unit.name}
        </ConsoleLink>
        <span class="kind">{m.unitKind[props.unit.kind]}</span>
        {props.unit.code !== undefined && <code>{props.unit.code}</code>}
      </div>
      {open && children.length > 0 && (
        <ul id={listId}>
          {children.map((child) => (
            <UnitNode key={child.unitId} unit={child} open={false} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function UnitsScreen() {
  const m = cm.value;
  const state = unitsState.value;
  return (
    <>
      <h1>{m.unitsTitle}</h1>
      <p>{m.unitsIntro}</p>
      {state === 'failed' ? (
        <p class="error" role="alert">
          {m.loadFailed(m.unitsTitle)}
        </p>
      ) : state !== 'ready' ? (
        <p role="status">…</p>
      ) : (
        <ul class="unit-tree" aria-label={m.unitsTitle}>
          {unitRoots.value.map((root) => {
            const unit = unitIndex.value.get(root);
            return unit === undefined ? null : <UnitNode key={root} unit={unit} open />;
          })}
        </ul>
      )}
    </>
  );
}

function ChildrenTable(props: { rows: ConsoleUnit[] }) {
  const m = cm.value;
  return (
    <table class="grid">
      <thead>
        <tr>
          <th scope="col">{m.unit}</th>
          <th scope="col">{m.kind}</th>
          <th scope="col">{m.unitCode}</th>
          <th scope="col">{m.office}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((unit) => (
          <tr key={unit.unitId} data-unit={unit.unitId}>
            <th scope="row">
              <ConsoleLink to={`/console/units/${encodeURIComponent(unit.unitId)}`}>{unit.name}</ConsoleLink>
            </th>
            <td>{m.unitKind[unit.kind]}</td>
            <td>{unit.code ?? m.none}</td>
            <td>{unit.office === undefined ? m.officeNone : officeText(unit.office)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function officeText(office: { lat: number; lng: number }): string {
  return `${office.lat.toFixed(5)}, ${office.lng.toFixed(5)}`;
}

export function UnitScreen(props: { unitId: string }) {
  const m = cm.value;
  const [unit, reload] = useResource(props.unitId, () => api.getUnit(props.unitId));
  const [children, reloadChildren] = useResource(`children:${props.unitId}`, () =>
    api.listUnits({ parentId: props.unitId, limit: '100' }),
  );
  return (
    <Show what={unit} retry={() => void reload()}>
      {(body) => (
        <>
          <nav aria-label={m.unitPath}>
            <ol class="breadcrumbs">
              {body.path.map((id) => (
                <li key={id}>
                  {id === body.unitId ? (
                    <span aria-current="page">{body.name}</span>
                  ) : (
                    <ConsoleLink to={`/console/units/${encodeURIComponent(id)}`}>{unitName(id)}</ConsoleLink>
                  )}
                </li>
              ))}
            </ol>
          </nav>
          <h1>{body.name}</h1>
          <dl class="facts meta" data-unit={body.unitId}>
            <dt>{m.kind}</dt>
            <dd>{m.unitKind[body.kind]}</dd>
            <dt>{m.unitCode}</dt>
            <dd>{body.code ?? m.none}</dd>
            <dt>{m.unitId}</dt>
            <dd>
              <code>{body.unitId}</code>
            </dd>
            <dt>{m.office}</dt>
            <dd>{body.office === undefined ? m.officeNone : officeText(body.office)}</dd>
            {body.abolishedOn !== undefined && (
              <>
                <dt>{m.abolishedOn}</dt>
                <dd>
                  <DateText date={body.abolishedOn} />
                </dd>
              </>
            )}
            <dt>{m.updatedAt}</dt>
            <dd>
              <DateTimeText instant={body.updatedAt} />
            </dd>
          </dl>
          <p class="links">
            <ConsoleLink to={`/console/units/${encodeURIComponent(body.unitId)}/scores`}>
              {m.unitScoresLink(body.name)}
            </ConsoleLink>
          </p>
          <h2>{m.unitsUnder}</h2>
          <Show what={children} retry={() => void reloadChildren()}>
            {(page) => (
              <CursorRows
                key={props.unitId}
                first={page}
                more={(cursor) => api.listUnits({ parentId: props.unitId, limit: '100', cursor })}
                empty={m.noUnitsUnder}
              >
                {(rows) => <ChildrenTable rows={rows} />}
              </CursorRows>
            )}
          </Show>
        </>
      )}
    </Show>
  );
}
