/**
 * `npm run provision` against DynamoDB Local, as an operator runs it: a CSV as Excel saves it
 * (BOM, CRLF, semicolons, Vietnamese headers, a decimal comma, a DD/MM/YYYY date) with good and
 * bad rows, the counts and a line per refused row, a dry run that writes nothing, a re-run that
 * changes nothing, and a changed row updated. What it stored is read back through the API's own
 * use cases and the audit names the provisioner.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshStorage } from '#tests/support/services.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
let storage: Awaited<ReturnType<typeof freshStorage>>;

beforeAll(async () => {
  storage = await freshStorage('provision');
});

function runProvision(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/provision.ts',
      '--table',
      storage.tableName,
      '--dynamodb-endpoint',
      storage.endpoints.dynamodb,
      '--lang',
      'en',
      ...args,
    ],
    {
      cwd: repositoryRoot,
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

const csvFolder = mkdtempSync(join(tmpdir(), 'par-inspect-provision-'));
function csvFile(name: string, lines: string[]): string {
  const path = join(csvFolder, name);
  writeFileSync(path, `\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
  return path;
}

const header = 'Mã;Tên;Loại;Mã cấp trên;Vĩ độ;Kinh độ;Ngày giải thể';
const goodRows = [
  '40;Tỉnh Nghệ An;Tỉnh;;18,6734;105,6922;',
  '16702;Phường Vinh Phú;Phường;40;18.6796;105.6813;',
  '16708;Phường Vinh Lộc;ward;40;;;',
  '17920;Xã Nam Đàn;Xã;40;;;',
  '16675;Phường Hưng Bình (cũ);Phường;40;;;30/06/2025',
];
const badRows = [
  '17335;Xã Diễn Châu;làng;40;;;', // row 7: unknown kind
  '16909;Xã Quỳnh Lưu;Xã;99999;;;', // row 8: no such parent
  '16702;Phường Trùng Mã;Phường;40;;;', // row 9: the code repeats row 3
  '17665;Xã Đô Lương;Xã;40;18.9;;', // row 10: half a location
  '16600;Xã Con Của Lỗi;Xã;17335;;;', // row 11: under a refused row
  '16601;Xã Ngày Sai;Xã;40;;;31/02/2025', // row 12: no such date
];

const rowLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('row '));

describe('npm run provision', () => {
  it('imports the good rows, refuses each bad one with its row and reason, and a re-run changes nothing', async () => {
    const file = csvFile('units.csv', [header, ...goodRows, ...badRows]);

    const dry = await runProvision(['--units', file, '--dry-run']);
    expect(dry.stdout).toMatch(/units: 5 would be created, 0 would be updated, 0 unchanged, 6 refused/);
    expect(dry.stdout).toMatch(/checklist one-stop-counter: would publish version 1/);
    const before = await storage.documents.send(
      new QueryCommand({
        TableName: storage.tableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': 'UNIT#nghe-an' },
      }),
    );
    expect(before.Items ?? []).toEqual([]);

    const first = await runProvision(['--units', file]);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/units: 5 created, 0 updated, 0 unchanged, 6 refused \(root nghe-an\)/);
    expect(first.stdout).toMatch(/checklist one-stop-counter: published version 1/);
    expect(rowLines(first.stdout)).toEqual([
      'row 7: refused: Unknown kind "làng".',
      'row 8: refused: No parent with code 99999 in the file (or its row was refused).',
      'row 9: refused: Code 16702 repeats row 3.',
      expect.stringMatching(/^row 10: refused: The office location "18\.9, " is not valid/),
      'row 11: refused: No parent with code 17335 in the file (or its row was refused).',
      expect.stringMatching(/^row 12: refused: The abolished-on date "31\/02\/2025" is not valid/),
    ]);

    const units = await storage.documents.send(
      new QueryCommand({
        TableName: storage.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': 'CHILDREN#nghe-an' },
      }),
    );
    const byId = new Map((units.Items ?? []).map((item) => [item.unitId as string, item]));
    expect([...byId.keys()].sort()).toEqual(['hung-binh-cu', 'nam-dan', 'vinh-loc', 'vinh-phu']);
    expect(byId.get('vinh-phu')).toMatchObject({
      name: 'Phường Vinh Phú',
      kind: 'ward',
      code: '16702',
      parentId: 'nghe-an',
      path: ['nghe-an', 'vinh-phu'],
      office: { lat: 18.6796, lng: 105.6813 },
    });
    expect(byId.get('hung-binh-cu')).toMatchObject({ abolishedOn: '2025-06-30' });
    const audit = await storage.documents.send(
      new QueryCommand({
        TableName: storage.tableName,
        KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)',
        ExpressionAttributeValues: { ':p': 'UNIT#nghe-an', ':a': 'AUDIT#' },
      }),
    );
    expect(audit.Items?.map((entry) => entry.actor)).toEqual(['provision:local-emulator']);

    const again = await runProvision(['--units', file]);
    expect(again.stdout).toMatch(/units: 0 created, 0 updated, 5 unchanged, 6 refused/);
    expect(again.stdout).toMatch(/checklist one-stop-counter: unchanged \(version 1 is the same\)/);
    expect(rowLines(again.stdout)).toEqual(rowLines(first.stdout));
  });

  it('updates a row that changed, and exits 0 when no row is refused', async () => {
    const renamed = goodRows.map((line) => line.replace('Xã Nam Đàn', 'Xã Nam Đàn Mới'));
    // The ID comes from the name, so a rename needs the id column to keep the unit.
    const withIds = csvFile('renamed-ids.csv', [
      `id;${header}`,
      ...renamed.map(
        (line, index) => `${['nghe-an', 'vinh-phu', 'vinh-loc', 'nam-dan', 'hung-binh-cu'][index]};${line}`,
      ),
    ]);
    const result = await runProvision(['--units', withIds, '--no-template']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/units: 0 created, 1 updated, 4 unchanged, 0 refused/);
  });

  it('creates the first admin in the directory and in the staff list once; a re-run finds them there', async () => {
    const directoryFile = join(csvFolder, 'directory.json');
    const file = csvFile('admin.csv', [header, ...goodRows]);
    const admin = ['--admin-email', ' Admin@SNV.NgheAn.gov.vn ', '--admin-name', 'Nguyễn Thị Hà'];
    const args = ['--units', file, '--no-template', '--directory-file', directoryFile, ...admin];
    const dry = await runProvision([...args, '--dry-run']);
    expect(dry.stdout).toMatch(/first admin .*: would be created in group admin/);
    const first = await runProvision(args);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /first admin .*: created \(sub [0-9a-f-]{36}, group admin, unit nghe-an, FORCE_CHANGE_PASSWORD\)/,
    );
    const again = await runProvision(args);
    expect(again.stdout).toMatch(
      /first admin .*: already there \(sub [0-9a-f-]{36}, group admin, unit nghe-an/,
    );
    const accounts = (
      JSON.parse(readFileSync(directoryFile, 'utf8')) as {
        accounts: Array<{ userId: string; email: string }>;
      }
    ).accounts;
    expect(accounts.map((account) => account.email)).toEqual(['admin@snv.nghean.gov.vn']);
    const claim = await storage.documents.send(
      new GetCommand({
        TableName: storage.tableName,
        Key: { pk: 'EMAIL#admin@snv.nghean.gov.vn', sk: 'EMAIL' },
      }),
    );
    const record = await storage.documents.send(
      new GetCommand({
        TableName: storage.tableName,
        Key: { pk: `USER#${accounts[0]?.userId}`, sk: 'USER' },
      }),
    );
    expect(claim.Item?.userId).toBe(accounts[0]?.userId);
    expect(record.Item).toMatchObject({
      role: 'admin',
      unitId: 'nghe-an',
      unitPath: ['nghe-an'],
      createdBy: 'provision:local-emulator',
    });
  });

  it('refuses a file it cannot read as units with one line', async () => {
    const file = csvFile('wrong.csv', ['Họ tên;Email', 'Nguyễn Văn A;a@example.gov.vn']);
    const result = await runProvision(['--units', file]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^provision: the header has no code, name, parentCode column/);
  });
});
