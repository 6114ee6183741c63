/**
 * Cán bộ (staff), for admins: the staff of a subtree by role with cursor paging, adding someone
 * (e-mail, name, role, a unit of the jurisdiction) with an Idempotency-Key, changing a person's
 * role, unit or name under their etag, disabling and enabling an account, and resetting its
 * authenticator. Every refusal is the API's own problem text; a stale etag reloads the list.
 */

import { useState } from 'preact/hooks';
import type * as z from 'zod/mini';
import { staffRoles } from '#domain/staff.ts';
import { staffContracts } from '#routes/contracts/staff.ts';
import { type ApiResult, createApi, pathOf } from '../api/client.ts';
import { currentUser, freshToken, isAdmin } from '../auth.ts';
import { language } from '../i18n/index.ts';
import { config } from '../state.ts';
import { CursorRows, FilterBar, type FilterValues, unitSubtreeField } from './filters.tsx';
import { go, newKey, problemText, queryOf, queryString, Show, settle, useResource } from './parts.tsx';
import { sm } from './staff-messages.ts';
import { unitName, unitOptions } from './units.ts';

type StaffMember = z.output<typeof staffContracts.listStaff.success.body>['items'][number];
type StaffRole = (typeof staffRoles)[number];
type StaffPatch = z.input<typeof staffContracts.patchStaff.body>;

const client = createApi({
  baseUrl: config.value?.apiBaseUrl ?? window.location.origin,
  token: freshToken,
  language: () => language.value,
});

const staffApi = {
  list: (query: Record<string, string | undefined>) =>
    client.request(
      { method: 'GET', path: pathOf('listStaff'), query },
      staffContracts.listStaff.success.body,
    ),
  create: (body: z.input<typeof staffContracts.createStaff.body>, idempotencyKey: string) =>
    client.request(
      { method: 'POST', path: pathOf('createStaff'), body, idempotencyKey },
      staffContracts.createStaff.success.body,
    ),
  patch: (userId: string, body: StaffPatch, etag: string) =>
    client.request(
      { method: 'PATCH', path: pathOf('patchStaff', { userId }), body, ifMatch: etag },
      staffContracts.patchStaff.success.body,
    ),
  action: (name: 'disableStaff' | 'enableStaff' | 'resetStaffTotp', userId: string, etag?: string) =>
    client.request(
      { method: 'POST', path: pathOf(name, { userId }), ...(etag !== undefined ? { ifMatch: etag } : {}) },
      staffContracts[name].success.body,
    ),
};

type Notice = { kind: 'done' | 'error'; text: string } | null;

export function StaffScreen(props: { path: string }) {
  const s = sm.value;
  const query = queryOf(props.path);
  const filters: FilterValues = {
    ...(query.unitId ? { unitId: query.unitId } : {}),
    ...(query.role ? { role: query.role } : {}),
  };
  // Bumped after every change: the list (and its paging) starts again from its first page.
  const [version, setVersion] = useState(0);
  const key = `${JSON.stringify(filters)}#${version}`;
  const [list, reload] = useResource(key, () => staffApi.list({ ...filters, limit: '50' }));
  const [notice, setNotice] = useState<Notice>(null);
  const changed = (next: Notice) => {
    setNotice(next);
    setVersion((n) => n + 1);
  };

  if (!isAdmin(currentUser.value)) {
    return (
      <>
        <h1>{s.staffTitle}</h1>
        <p role="alert">{s.notAllowed}</p>
      </>
    );
  }
  return (
    <>
      <h1>{s.staffTitle}</h1>
      <p>{s.staffIntro}</p>
      {notice !== null && (
        <p
          class={notice.kind === 'done' ? 'notice' : 'error'}
          role={notice.kind === 'done' ? 'status' : 'alert'}
        >
          {notice.text}
        </p>
      )}
      <FilterBar
        key={props.path}
        fields={[
          unitSubtreeField(),
          {
            kind: 'select',
            name: 'role',
            label: s.role,
            options: [
              { value: '', label: s.anyRole },
              ...staffRoles.map((role) => ({ value: role, label: s.roles[role] })),
            ],
          },
        ]}
        values={filters}
        onApply={(values) => go(`/console/staff${queryString(values)}`)}
      />
      <Show what={list} retry={() => void reload()}>
        {(body) => (
          <CursorRows
            key={key}
            first={body}
            more={(cursor) => staffApi.list({ ...filters, limit: '50', cursor })}
            empty={s.empty}
          >
            {(rows) => <StaffTable rows={rows} onChanged={changed} />}
          </CursorRows>
        )}
      </Show>
      <AddStaff onAdded={changed} />
    </>
  );
}

function StaffTable(props: { rows: StaffMember[]; onChanged: (notice: Notice) => void }) {
  const s = sm.value;
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <table class="grid" data-testid="staff-table">
      <thead>
        <tr>
          <th scope="col">{s.name}</th>
          <th scope="col">{s.email}</th>
          <th scope="col">{s.role}</th>
          <th scope="col">{s.unit}</th>
          <th scope="col">{s.state}</th>
          <th scope="col">{s.actions}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((person) =>
          editing === person.userId ? (
            <EditRow
              key={person.userId}
              person={person}
              onDone={(notice) => {
                setEditing(null);
                if (notice !== null) props.onChanged(notice);
              }}
            />
          ) : (
            <StaffRow
              key={person.userId}
              person={person}
              onEdit={() => setEditing(person.userId)}
              onChanged={props.onChanged}
            />
          ),
        )}
      </tbody>
    </table>
  );
}

/** What a failed change says: the stale case reloads, the rest is the API's text. */
function refusal(result: Extract<ApiResult<unknown>, { ok: false }>): Notice {
  return {
    kind: 'error',
    text: result.problem.code === 'precondition_failed' ? sm.value.stale : problemText(result.problem),
  };
}

function StaffRow(props: { person: StaffMember; onEdit: () => void; onChanged: (notice: Notice) => void }) {
  const s = sm.value;
  const person = props.person;
  const [busy, setBusy] = useState(false);
  const self = currentUser.value?.sub === person.userId;

  async function run(
    confirmText: string | null,
    call: () => Promise<ApiResult<unknown>>,
    done: string,
  ): Promise<void> {
    if (confirmText !== null && !window.confirm(confirmText)) return;
    setBusy(true);
    const result = await settle(call);
    setBusy(false);
    props.onChanged(result.ok ? { kind: 'done', text: done } : refusal(result));
  }

  return (
    <tr data-staff={person.email}>
      <th scope="row">
        {person.name} {self && <span>{s.you}</span>}
      </th>
      <td>{person.email}</td>
      <td>{s.roles[person.role]}</td>
      <td>{unitName(person.unitId)}</td>
      <td>{person.enabled ? s.enabled : s.disabled}</td>
      <td class="row-actions">
        <button type="button" disabled={busy} onClick={props.onEdit} aria-label={`${s.edit}: ${person.name}`}>
          {s.edit}
        </button>
        {person.enabled ? (
          !self && (
            <button
              type="button"
              class="danger"
              disabled={busy}
              aria-label={`${s.disable}: ${person.name}`}
              onClick={() =>
                void run(
                  s.confirmDisable(person.name),
                  () => staffApi.action('disableStaff', person.userId, person.etag),
                  s.disabledDone(person.name),
                )
              }
            >
              {s.disable}
            </button>
          )
        ) : (
          <button
            type="button"
            disabled={busy}
            aria-label={`${s.enable}: ${person.name}`}
            onClick={() =>
              void run(
                null,
                () => staffApi.action('enableStaff', person.userId, person.etag),
                s.enabledDone(person.name),
              )
            }
          >
            {s.enable}
          </button>
        )}
        <button
          type="button"
          disabled={busy}
          aria-label={`${s.resetTotp}: ${person.name}`}
          onClick={() =>
            void run(
              s.confirmReset(person.name),
              () => staffApi.action('resetStaffTotp', person.userId),
              s.resetDone(person.name),
            )
          }
        >
          {s.resetTotp}
        </button>
      </td>
    </tr>
  );
}

function UnitSelect(props: { id: string; value: string; onChange: (value: string) => void }) {
  return (
    <select
      id={props.id}
      value={props.value}
      required
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      {unitOptions().map(({ unit, depth }) => (
        <option key={unit.unitId} value={unit.unitId}>
          {`${'\u00a0\u00a0'.repeat(depth)}${unit.name}`}
        </option>
      ))}
    </select>
  );
}

function RoleSelect(props: { id: string; value: StaffRole; onChange: (value: StaffRole) => void }) {
  const s = sm.value;
  return (
    <select
      id={props.id}
      value={props.value}
      onChange={(e) => {
        const chosen = staffRoles.find((role) => role === e.currentTarget.value);
        if (chosen !== undefined) props.onChange(chosen);
      }}
    >
      {staffRoles.map((role) => (
        <option key={role} value={role}>
          {s.roles[role]}
        </option>
      ))}
    </select>
  );
}

function EditRow(props: { person: StaffMember; onDone: (notice: Notice) => void }) {
  const s = sm.value;
  const person = props.person;
  const [name, setName] = useState(person.name);
  const [role, setRole] = useState<StaffRole>(person.role);
  const [unitId, setUnitId] = useState(person.unitId);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const id = (field: string) => `staff-${field}-${person.userId}`;
  return (
    <tr data-staff={person.email}>
      <td colSpan={6}>
        <form
          class="panel actions"
          onSubmit={async (event) => {
            event.preventDefault();
            const body: StaffPatch = {
              ...(name.trim() !== person.name ? { name } : {}),
              ...(role !== person.role ? { role } : {}),
              ...(unitId !== person.unitId ? { unitId } : {}),
            };
            if (Object.keys(body).length === 0) return props.onDone(null);
            setBusy(true);
            const result = await settle(() => staffApi.patch(person.userId, body, person.etag));
            setBusy(false);
            if (result.ok) props.onDone({ kind: 'done', text: s.saved(result.body.name) });
            else if (result.problem.code === 'precondition_failed') props.onDone(refusal(result));
            else setProblem(problemText(result.problem));
          }}
        >
          {problem !== null && (
            <p class="error" role="alert">
              {problem}
            </p>
          )}
          <label for={id('name')}>{s.name}</label>
          <input
            id={id('name')}
            value={name}
            maxLength={200}
            required
            onInput={(e) => setName(e.currentTarget.value)}
          />
          <label for={id('role')}>{s.role}</label>
          <RoleSelect id={id('role')} value={role} onChange={setRole} />
          <label for={id('unit')}>{s.unit}</label>
          <UnitSelect id={id('unit')} value={unitId} onChange={setUnitId} />
          <div>
            <button type="submit" class="primary" disabled={busy}>
              {s.save}
            </button>
            <button type="button" disabled={busy} onClick={() => props.onDone(null)}>
              {s.cancel}
            </button>
          </div>
        </form>
      </td>
    </tr>
  );
}

function AddStaff(props: { onAdded: (notice: Notice) => void }) {
  const s = sm.value;
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('inspector');
  const [unitId, setUnitId] = useState('');
  // One key per person being added: a retried click (a timeout) finds the first answer.
  const [key, setKey] = useState(newKey);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ text: string; fields: string[] } | null>(null);
  const chosenUnit = unitId !== '' ? unitId : (unitOptions()[0]?.unit.unitId ?? '');
  return (
    <section class="panel actions" aria-labelledby="add-staff-title">
      <h2 id="add-staff-title">{s.addTitle}</h2>
      <p>{s.addHint}</p>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          const result = await settle(() => staffApi.create({ email, name, role, unitId: chosenUnit }, key));
          setBusy(false);
          if (!result.ok) {
            setProblem({
              text: problemText(result.problem),
              fields: result.problem.errors.map((error) => `${error.path}: ${error.message}`),
            });
            return;
          }
          setProblem(null);
          setEmail('');
          setName('');
          setKey(newKey());
          props.onAdded({
            kind: 'done',
            text: result.status === 201 ? s.added(result.body.name) : s.existing(result.body.name),
          });
        }}
      >
        {problem !== null && (
          <div class="error" role="alert">
            <p>{problem.text}</p>
            {problem.fields.length > 0 && (
              <ul>
                {problem.fields.map((field) => (
                  <li key={field}>{field}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <label for="staff-email">{s.email}</label>
        <input
          id="staff-email"
          type="email"
          value={email}
          required
          maxLength={254}
          autocomplete="off"
          onInput={(e) => {
            setEmail(e.currentTarget.value);
            setKey(newKey());
          }}
        />
        <label for="staff-name">{s.name}</label>
        <input
          id="staff-name"
          value={name}
          required
          maxLength={200}
          onInput={(e) => {
            setName(e.currentTarget.value);
            setKey(newKey());
          }}
        />
        <label for="staff-role">{s.role}</label>
        <RoleSelect
          id="staff-role"
          value={role}
          onChange={(value) => {
            setRole(value);
            setKey(newKey());
          }}
        />
        <label for="staff-unit">{s.unit}</label>
        <UnitSelect
          id="staff-unit"
          value={chosenUnit}
          onChange={(value) => {
            setUnitId(value);
            setKey(newKey());
          }}
        />
        <div>
          <button type="submit" class="primary" disabled={busy || chosenUnit === ''}>
            {s.add}
          </button>
        </div>
      </form>
    </section>
  );
}
