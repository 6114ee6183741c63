/**
 * The local provider's sign-in page: the demo users as big buttons, and a small form for any
 * role and unit that `POST /local/tokens` accepts. Vietnamese first with English beside it, no
 * script and no inline style (its CSP forbids both), 48 px touch targets, fits a 360 px screen.
 */
import type { Problem } from '#domain/problems.ts';
import { roles } from '#routes/table.ts';
import { demoUsers } from './tokens.ts';

export interface AuthorizePage {
  /** Where the forms post (the authorize endpoint). */
  action: string;
  /** The OAuth parameters each form carries as hidden fields. */
  carried: ReadonlyArray<readonly [string, string]>;
  demoUnitId: string;
  /** What was wrong with the last choice or the login_hint. */
  problems: readonly Problem[];
  /** What the custom form had, to show it again after a refusal. */
  entered: Readonly<Record<string, string | undefined>>;
}

const roleLabels: Record<(typeof roles)[number], { vi: string; en: string }> = {
  admin: { vi: 'Quản trị', en: 'Administrator' },
  manager: { vi: 'Lãnh đạo phòng', en: 'Manager' },
  inspector: { vi: 'Kiểm tra viên', en: 'Inspector' },
  ranking: { vi: 'Hệ thống xếp hạng (không có đơn vị)', en: 'Ranking system (no unit)' },
};

export function renderAuthorizePage(page: AuthorizePage): string {
  const hidden = page.carried
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const demo = (['inspector', 'manager', 'admin'] as const).map((role) => {
    const user = demoUsers[role];
    return `<li><form method="post" action="${escapeHtml(page.action)}">${hidden}<input type="hidden" name="role" value="${role}"><input type="hidden" name="unitId" value="${escapeHtml(page.demoUnitId)}"><button type="submit" class="user"><span class="name">${escapeHtml(user.name)}</span><span class="meta">${roleLabels[role].vi} <span lang="en">(${roleLabels[role].en})</span> · ${escapeHtml(page.demoUnitId)}</span></button></form></li>`;
  });
  const alert =
    page.problems.length === 0
      ? ''
      : `<div class="problems" role="alert"><p><strong>Chưa đăng nhập được.</strong> <span lang="en">Not signed in.</span></p><ul>${page.problems
          .map(
            (p) =>
              `<li>${p.path ? `<code>${escapeHtml(p.path)}</code>: ` : ''}${escapeHtml(p.message.vi)} <span lang="en">${escapeHtml(p.message.en)}</span></li>`,
          )
          .join('')}</ul></div>`;
  const chosenRole = page.entered.role ?? 'inspector';
  const options = roles
    .map(
      (role) =>
        `<option value="${role}"${role === chosenRole ? ' selected' : ''}>${roleLabels[role].vi} (${roleLabels[role].en})</option>`,
    )
    .join('');
  const field = (name: string, vi: string, en: string, value: string | undefined, hint: string) =>
    `<label for="${name}">${vi} <span lang="en">(${en})</span></label><input id="${name}" name="${name}" value="${escapeHtml(value ?? '')}" autocomplete="off" autocapitalize="none" spellcheck="false"${hint ? ` placeholder="${escapeHtml(hint)}"` : ''}>`;

  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Đăng nhập cục bộ (Local sign-in) · par-inspect</title>
<link rel="stylesheet" href="/local/oidc/authorize.css">
</head>
<body>
<main>
<h1>Đăng nhập <span lang="en">(Sign in)</span></h1>
<p class="lead">Chế độ cục bộ: chọn một người dùng thử, không cần mật khẩu. <span lang="en">Local mode: choose a demo user, no password needed.</span></p>
${alert}
<h2>Người dùng thử <span lang="en">(Demo users)</span></h2>
<ul class="users">${demo.join('')}</ul>
<h2>Người dùng khác <span lang="en">(Another user)</span></h2>
<form method="post" action="${escapeHtml(page.action)}" class="custom">${hidden}
<label for="role">Vai trò <span lang="en">(Role)</span></label><select id="role" name="role">${options}</select>
${field('unitId', 'Mã đơn vị', 'Unit ID', page.entered.unitId ?? page.demoUnitId, 'nghe-an')}
${field('sub', 'Mã người dùng, tùy chọn', 'User ID, optional', page.entered.sub, 'another-inspector')}
${field('name', 'Họ tên, tùy chọn', 'Name, optional', page.entered.name, 'Phan Văn Hùng')}
<button type="submit" class="submit">Đăng nhập <span lang="en">(Sign in)</span></button>
</form>
<p class="note">Trang này chỉ có khi chạy <code>npm start</code>; trên AWS, Cognito đăng nhập người dùng. <span lang="en">This page exists only under <code>npm start</code>; on AWS, Cognito signs users in.</span></p>
</main>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Served at /local/oidc/authorize.css (the page's CSP allows only same-origin styles). */
export const authorizePageCss = `*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; font-size: 100%; line-height: 1.5; color: #1b1f24; background: #f4f6f8; }
body { margin: 0; }
main { max-width: 32rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
h2 { font-size: 1.125rem; margin: 1.5rem 0 0.5rem; }
[lang="en"] { color: #4a5561; }
.lead, .note { margin: 0.5rem 0; }
.note { font-size: 0.875rem; color: #4a5561; margin-top: 2rem; }
ul { padding: 0; margin: 0; }
.users { list-style: none; display: grid; gap: 0.5rem; }
form { margin: 0; }
button, input, select { font: inherit; font-size: 1rem; }
button { cursor: pointer; }
.user { display: flex; flex-direction: column; align-items: flex-start; width: 100%; min-height: 3rem; padding: 0.75rem 1rem; text-align: left; border: 1px solid #aab4be; border-radius: 0.5rem; background: #fff; color: inherit; }
.user:hover { border-color: #0b5cad; }
.name { font-weight: 600; overflow-wrap: anywhere; }
.meta { font-size: 0.875rem; color: #4a5561; overflow-wrap: anywhere; }
.custom { display: grid; gap: 0.25rem; }
label { margin-top: 0.5rem; font-weight: 600; }
input, select { width: 100%; min-height: 3rem; padding: 0.5rem 0.75rem; border: 1px solid #6b7785; border-radius: 0.375rem; background: #fff; color: inherit; }
.submit { margin-top: 1rem; min-height: 3rem; padding: 0.75rem 1rem; border: 0; border-radius: 0.5rem; background: #0b5cad; color: #fff; font-weight: 600; }
.submit [lang="en"] { color: #e6eef7; }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.problems { border: 2px solid #b42318; border-radius: 0.5rem; background: #fff4f2; padding: 0.5rem 1rem; margin: 1rem 0; }
.problems ul { padding-left: 1.25rem; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.875em; overflow-wrap: anywhere; }
@media (prefers-color-scheme: dark) {
  html { color: #e8ecf0; background: #14181c; }
  [lang="en"], .meta, .note { color: #a9b4bf; }
  .user, input, select { background: #1e242a; border-color: #56616c; }
  .problems { background: #3a1512; }
}
`;
