import { signal } from '@preact/signals';
import { exportUnsent, signOutNow } from '../actions.ts';
import { currentUser } from '../auth.ts';
import { formatBytes, formatDateTime, localText, t } from '../i18n/index.ts';
import { install, installPrompt, showIosHint } from '../pwa.ts';
import {
  blockedOp,
  online,
  photoSyncState,
  photos,
  storage,
  syncing,
  templateOf,
  unitName,
  unsent,
  visitSyncState,
  visits,
} from '../state.ts';
import type { PhotoSyncState } from '../store/db.ts';
import { syncNow } from '../sync/trigger.ts';
import { AppLink, SyncBadge } from './parts.tsx';

const confirmingSignOut = signal(false);

function SyncBar() {
  const m = t.value;
  return (
    <div class="panel sync" role="status">
      <span>{m.pendingOps(unsent.value)}</span>
      <button
        type="button"
        disabled={!online.value || syncing.value}
        onClick={() => void syncNow({ pull: true })}
      >
        {syncing.value ? m.syncing : m.syncNow}
      </button>
    </div>
  );
}

/** How many of a visit's photos are in each state, and why any failed. */
function PhotoSummary(props: { visitId: string }) {
  const m = t.value;
  const mine = photos.value.filter((p) => p.visitId === props.visitId && p.removing !== true);
  if (mine.length === 0) return null;
  const counts = new Map<PhotoSyncState, number>();
  for (const photo of mine) {
    const state = photoSyncState(photo);
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  const failed = mine.filter((p) => p.state === 'failed');
  return (
    <span class="meta" data-photo-states={[...counts].map(([s, n]) => `${s}:${n}`).join(' ')}>
      {m.photoCounts([...counts].map(([state, n]) => `${n} ${m.syncState[state].toLowerCase()}`).join(', '))}
      {failed.map((p) => (
        <span key={p.photoId} class="error">
          {' '}
          {`${p.itemCode}: ${p.reason === null ? '' : (m.photoReason[p.reason] ?? p.reason)}`}
        </span>
      ))}
    </span>
  );
}

function VisitList() {
  const m = t.value;
  if (visits.value.length === 0) return <p>{m.noVisits}</p>;
  return (
    <ul class="cards">
      {visits.value.map((visit) => {
        const state = visitSyncState(visit);
        const template = templateOf(visit.draft.templateId, visit.draft.templateVersion);
        return (
          <li key={visit.visitId} data-visit={visit.visitId} data-sync-state={state}>
            <AppLink to={{ name: 'visit', visitId: visit.visitId }} class="card-link">
              {unitName(visit.draft.unitId)}
            </AppLink>
            <span class="meta">
              {template !== undefined ? `${localText(template.title)} · ` : ''}
              {m.startedAt(formatDateTime(visit.draft.startedAt))}
            </span>
            <span class="badges">
              <span class={`badge status-${visit.status}`}>{m.visitStatus[visit.status]}</span>
              {visit.discarding === true && <span class="badge discarding">{m.discarding}</span>}
              <SyncBadge state={state} />
            </span>
            <PhotoSummary visitId={visit.visitId} />
            {blockedOp(visit.visitId)?.blocked != null && (
              <span class="error">{m.opFailed(blockedOp(visit.visitId)?.blocked?.message ?? '')}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function StoragePanel() {
  const m = t.value;
  const s = storage.value;
  return (
    <section class="panel" aria-labelledby="storage-title">
      <h2 id="storage-title">{m.storage}</h2>
      {s !== null && s.quota > 0 && <p>{m.storageFree(formatBytes(Math.max(s.quota - s.usage, 0)))}</p>}
      {s !== null && <p>{s.persisted ? m.storagePersisted : m.storageNotPersisted}</p>}
      <button type="button" onClick={() => void exportUnsent()}>
        {m.exportUnsent}
      </button>
      {installPrompt.value !== null && (
        <button type="button" onClick={() => void install()}>
          {m.install}
        </button>
      )}
      {showIosHint.value && <p class="hint">{m.installIos}</p>}
    </section>
  );
}

function SignOut() {
  const m = t.value;
  if (confirmingSignOut.value) {
    return (
      <div class="panel warn" role="alert">
        <p>{m.signOutUnsent(unsent.value)}</p>
        <button type="button" onClick={() => void exportUnsent()}>
          {m.exportUnsent}
        </button>
        <button type="button" class="danger" onClick={() => void signOutNow()}>
          {m.signOutAnyway}
        </button>
        <button type="button" onClick={() => (confirmingSignOut.value = false)}>
          {m.cancel}
        </button>
      </div>
    );
  }
  return (
    <button
      type="button"
      onClick={() => {
        if (unsent.value > 0) confirmingSignOut.value = true;
        else void signOutNow();
      }}
    >
      {m.signOut}
    </button>
  );
}

export function HomeScreen() {
  const m = t.value;
  const user = currentUser.value;
  return (
    <>
      <h1>{m.myVisits}</h1>
      {user !== null && <p class="meta">{m.signedInAs(user.name)}</p>}
      <SyncBar />
      <AppLink to={{ name: 'new' }} class="button primary">
        {m.newVisit}
      </AppLink>
      <VisitList />
      <StoragePanel />
      <SignOut />
    </>
  );
}
