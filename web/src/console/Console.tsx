/**
 * The managers' console: the desk side of the same app, for managers and admins of a Sở Nội vụ.
 * Loaded as its own chunks (never precached by the service worker, so an inspector's phone never
 * downloads it); it reads the API directly (no outbox: a desk is online). Routes under
 * `/console`: the review queue, a visit, and the screens listed in the navigation.
 */

import { useEffect } from 'preact/hooks';
import { currentUser, isAdmin, signOut } from '../auth.ts';
import consoleCss from './console.css?url';
import { ExportsScreen } from './Exports.tsx';
import { FindingScreen, FindingsScreen } from './Findings.tsx';
import { cm } from './messages.ts';
import { PublicationScreen, PublicationsScreen } from './Publications.tsx';
import { ConsoleLink } from './parts.tsx';
import { QueueScreen } from './Queue.tsx';
import { RankingsScreen, UnitScoresScreen } from './Rankings.tsx';
import { StaffScreen } from './Staff.tsx';
import { sm } from './staff-messages.ts';
import { TemplatesScreen, TemplateVersionScreen } from './Templates.tsx';
import { loadTemplates } from './templates.ts';
import { UnitScreen, UnitsScreen } from './Units.tsx';
import { loadUnits } from './units.ts';
import { VisitReviewScreen } from './VisitReview.tsx';

// Linked rather than imported: an imported stylesheet would be attached to the app's shared
// chunks, and this one must stay with the console's files (outside the precache).
if (document.querySelector('link[data-console-css]') === null) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = consoleCss;
  link.dataset.consoleCss = '';
  document.head.append(link);
}

interface Section {
  path: string;
  label: (m: typeof cm.value) => string;
  adminOnly?: boolean;
}

const sections: Section[] = [
  { path: '/console', label: (m) => m.navQueue },
  { path: '/console/findings', label: (m) => m.navFindings },
  { path: '/console/rankings', label: (m) => m.navRankings },
  { path: '/console/publications', label: (m) => m.navPublications },
  { path: '/console/exports', label: (m) => m.navExports },
  { path: '/console/units', label: (m) => m.navUnits },
  { path: '/console/templates', label: (m) => m.navTemplates },
  { path: '/console/staff', label: () => sm.value.navStaff, adminOnly: true },
];

function current(path: string): string {
  const bare = path.split('?')[0] ?? path;
  if (bare === '/console' || bare.startsWith('/console/visits')) return '/console';
  return sections.find((s) => s.path !== '/console' && bare.startsWith(s.path))?.path ?? '';
}

function Page(props: { path: string }) {
  const bare = props.path.split('?')[0] ?? props.path;
  if (bare === '/console' || bare === '/console/') return <QueueScreen path={props.path} />;
  const visit = /^\/console\/visits\/([0-9a-fA-F-]{36})$/.exec(bare);
  if (visit?.[1] !== undefined) return <VisitReviewScreen visitId={visit[1].toLowerCase()} />;
  if (bare === '/console/findings') return <FindingsScreen path={props.path} />;
  const finding = /^\/console\/findings\/([^/]+)$/.exec(bare);
  if (finding?.[1] !== undefined) return <FindingScreen findingId={decodeURIComponent(finding[1])} />;
  if (bare === '/console/rankings') return <RankingsScreen path={props.path} />;
  const unitScores = /^\/console\/units\/([^/]+)\/scores$/.exec(bare);
  if (unitScores?.[1] !== undefined) {
    return <UnitScoresScreen unitId={decodeURIComponent(unitScores[1])} path={props.path} />;
  }
  if (bare === '/console/exports') return <ExportsScreen path={props.path} />;
  if (bare === '/console/units') return <UnitsScreen />;
  const unitPage = /^\/console\/units\/([^/]+)$/.exec(bare);
  if (unitPage?.[1] !== undefined) return <UnitScreen unitId={decodeURIComponent(unitPage[1])} />;
  if (bare === '/console/templates') return <TemplatesScreen />;
  const templatePage = /^\/console\/templates\/([^/]+)\/versions\/(\d+)$/.exec(bare);
  if (templatePage?.[1] !== undefined && templatePage[2] !== undefined) {
    const templateId = decodeURIComponent(templatePage[1]);
    return <TemplateVersionScreen key={bare} templateId={templateId} version={Number(templatePage[2])} />;
  }
  if (bare === '/console/publications') return <PublicationsScreen />;
  if (bare === '/console/staff') return <StaffScreen path={props.path} />;
  const publication = /^\/console\/publications\/([0-9a-fA-F-]{36})$/.exec(bare);
  if (publication?.[1] !== undefined)
    return <PublicationScreen publicationId={publication[1].toLowerCase()} />;
  return <p>{cm.value.notFound}</p>;
}

export function ConsoleScreen(props: { path: string }) {
  const m = cm.value;
  const user = currentUser.value;
  useEffect(() => {
    void loadUnits();
    void loadTemplates();
  }, []);
  const here = current(props.path);
  const roles = (user?.roles ?? []).map((role) => m.roleNames[role]).join(', ');
  return (
    <div class="console">
      <nav class="console-nav" aria-label={m.nav}>
        <span class="console-name">{m.consoleName}</span>
        <ul>
          {sections
            .filter((section) => section.adminOnly !== true || isAdmin(user))
            .map((section) => (
              <li key={section.path}>
                <ConsoleLink to={section.path} current={here === section.path}>
                  {section.label(m)}
                </ConsoleLink>
              </li>
            ))}
        </ul>
        <span class="who">{user === null ? '' : m.signedInAs(user.name, roles)}</span>
        <button type="button" onClick={() => void signOut()}>
          {m.signOut}
        </button>
      </nav>
      <div id="console-content" class="console-page" tabIndex={-1}>
        <Page path={props.path} />
      </div>
    </div>
  );
}
