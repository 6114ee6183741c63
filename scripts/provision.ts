/**
 * `npm run provision -- --units FILE [--admin-email E --admin-name N] [--dry-run]`: loads a
 * deployed province. It reads the API stack's outputs (table, user pool), then runs the use cases
 * directly with the caller's AWS credentials, audited as `provision:<principal ARN>`: the units
 * of the CSV (the province's root first), the reference checklist, the first admin in Cognito.
 * Every step is idempotent: a re-run of the same file changes nothing and says so.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { allDeps } from '#adapters/all-parts.ts';
import { callerArn, stackOutputs } from '#adapters/aws-account.ts';
import { createCognitoClient } from '#adapters/clients.ts';
import { CognitoDirectory } from '#adapters/cognito/directory.ts';
import { LocalDirectory } from '#adapters/local-directory/directory.ts';
import { NoRootUnitError, provision } from '#app/provision.ts';
import { parseUnitFile, UnitFileError } from '#app/unit-import.ts';
import { demoTemplateId, referenceTemplateUrl } from '#local/demo-data.ts';
import type { IdentityDirectory } from '#ports/staff.ts';

const usage = `Usage: npm run provision -- --units FILE [options]

  --units FILE        the province's units as CSV (UTF-8, with or without BOM; columns code,
                      name, kind, parent_code, and optionally id, lat, lng, abolished_on);
                      exactly one row, the province, has no parent code
  --admin-email E     create the first admin (group admin, unit = the province) in Cognito
  --admin-name N      their name (required with --admin-email)
  --no-template       do not publish the reference checklist (one-stop-counter)
  --dry-run           say what would change, change nothing
  --stage PREFIX      the stacks' name prefix (default ParInspect: ParInspectApi)
  --lang vi|en        language of the refusals (default vi)
  --table NAME --dynamodb-endpoint URL
                      write to that table of DynamoDB Local instead of a deployed stage (tests)
  --directory-file F  with --table: the local directory (local mode's stand-in for Cognito)
                      that --admin-email creates the admin in

AWS credentials and region come from the usual environment (AWS_PROFILE, AWS_REGION).`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      units: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      'no-template': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      stage: { type: 'string', default: 'ParInspect' },
      lang: { type: 'string', default: 'vi' },
      table: { type: 'string' },
      'dynamodb-endpoint': { type: 'string' },
      'directory-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.units) throw new UsageError('--units FILE is required');
  if (values['admin-email'] && !values['admin-name'])
    throw new UsageError('--admin-name is required with --admin-email');
  if (values.lang !== 'vi' && values.lang !== 'en') throw new UsageError('--lang is vi or en');
  const lang = values.lang;
  const dryRun = values['dry-run'] ?? false;

  let bytes: Buffer;
  try {
    bytes = readFileSync(values.units);
  } catch (error) {
    throw new UsageError(
      `cannot read ${values.units}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const file = parseUnitFile(bytes);

  // Where to write: a deployed stage's table (its outputs), or an emulator named on the line.
  let actor: string;
  let directory: IdentityDirectory | null = null;
  if (values.table && values['dynamodb-endpoint']) {
    Object.assign(process.env, { TABLE_NAME: values.table, DYNAMODB_ENDPOINT: values['dynamodb-endpoint'] });
    process.env.BUCKET_NAME ||= 'unused-by-provision';
    actor = 'provision:local-emulator';
    if (values['directory-file']) directory = new LocalDirectory(values['directory-file']);
    else if (values['admin-email'])
      throw new UsageError(
        '--admin-email needs a deployed stage (Cognito) or, with --table, --directory-file',
      );
  } else {
    const stack = `${values.stage}Api`;
    const outputs = await stackOutputs(stack);
    const table = outputs.TableName;
    const pool = outputs.UserPoolId;
    if (!table || !pool)
      throw new UsageError(`stack ${stack} has no TableName or UserPoolId output: deploy it first`);
    Object.assign(process.env, { TABLE_NAME: table, BUCKET_NAME: outputs.BucketName ?? 'unknown' });
    delete process.env.DYNAMODB_ENDPOINT;
    actor = `provision:${await callerArn()}`;
    directory = new CognitoDirectory(createCognitoClient(), pool);
    console.log(`stage ${values.stage}: table ${table}, user pool ${pool}, ${outputs.ApiUrl ?? ''}`);
  }
  console.log(`${dryRun ? 'dry run (nothing is written) ' : ''}as ${actor}`);
  console.log(`units: ${file.rows.length + file.refused.length} rows in ${values.units}`);

  const bar = process.stderr.isTTY ? progressBar() : null;
  const report = await provision(allDeps(), directory, {
    actor,
    units: file,
    template: values['no-template']
      ? undefined
      : { templateId: demoTemplateId, document: JSON.parse(readFileSync(referenceTemplateUrl, 'utf8')) },
    admin: values['admin-email']
      ? { email: values['admin-email'], name: values['admin-name'] ?? '' }
      : undefined,
    dryRun,
    onRow: (done, total) => bar?.(done, total),
  });
  if (bar) process.stderr.write('\n');

  for (const refusal of report.units.refused) {
    console.log(`row ${refusal.row}: refused: ${refusal.reason[lang]}`);
  }
  const would = dryRun ? 'would be ' : '';
  const { created, updated, unchanged, refused } = report.units;
  console.log(
    `units: ${created} ${would}created, ${updated} ${would}updated, ${unchanged} unchanged, ${refused.length} refused (root ${report.rootUnitId})`,
  );
  if (report.template) {
    const { templateId, version, outcome } = report.template;
    console.log(
      outcome === 'published'
        ? `checklist ${templateId}: published version ${version}`
        : outcome === 'unchanged'
          ? `checklist ${templateId}: unchanged (version ${version} is the same)`
          : `checklist ${templateId}: would publish version ${version}`,
    );
  }
  if (report.admin) {
    const email = values['admin-email'];
    const { outcome, account, listed } = report.admin;
    if (outcome === 'would-create') console.log(`first admin ${email}: would be created in group admin`);
    else {
      console.log(
        `first admin ${email}: ${outcome === 'created' ? 'created' : 'already there'} (sub ${account?.userId}, group ${account?.role ?? 'none'}, unit ${account?.unitId ?? 'none'}, ${account?.status})`,
      );
      if (!listed)
        console.log(
          '  the user pool has an account of this e-mail with another name, group or unit (made by hand): left as it is and not in the staff list; correct it in Cognito, or give its exact name',
        );
      if (outcome === 'created' || account?.status === 'FORCE_CHANGE_PASSWORD') {
        console.log(
          [
            '  Cognito emails them a temporary password (valid 3 days). To enrol TOTP they open the app (web stack',
            '  output AppUrl), sign in with the e-mail and that password, choose a new password (12+ characters,',
            '  upper and lower case, a digit, a symbol), scan the QR code with an authenticator app (Google or',
            '  Microsoft Authenticator...) and type its 6-digit code. Every later sign-in asks for a code.',
          ].join('\n'),
        );
      }
    }
  }
  return refused.length > 0 ? 1 : 0;
}

/** One line redrawn in place: `[#########...........] 45/100`. */
function progressBar(): (done: number, total: number) => void {
  return (done, total) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    process.stderr.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof UnitFileError || error instanceof NoRootUnitError) {
      console.error(`provision: ${error.message}`);
      process.exit(2);
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`provision failed: ${message}`);
    process.exit(1);
  },
);
