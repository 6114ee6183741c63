/**
 * The route table's `access` declarations turned into IAM statements. This is the only place
 * that knows which API actions a declaration means, so a function's policy names exactly the
 * actions its handler uses: explicit action lists, never a grant helper (`grantRead` adds
 * `s3:GetObject*`, `s3:List*` and friends) and never a `*` action.
 */
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { globalIndexes } from '#adapters/dynamodb/table.ts';
import type { Access, BucketAction, TableAction, UserPoolAction } from '#routes/table.ts';

/** The ARNs a declaration can point at: the project's table, bucket and bus. */
export interface AccessTargets {
  /** The table's ARN; its indexes are `<arn>/index/<name>`. */
  readonly tableArn: string;
  /** The bucket's ARN; objects are `<arn>/<key>`. */
  readonly bucketArn: string;
  /** The project's event bus ARN. */
  readonly eventBusArn: string;
  /** The staff user pool's ARN; required as soon as a declaration names `userPool`. */
  readonly userPoolArn?: string;
}

export const tableActions = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  // Transactions have no action of their own: each item of a TransactWriteItems is authorised
  // as the matching Put/Update/Delete/ConditionCheck action.
  put: ['dynamodb:PutItem'],
  update: ['dynamodb:UpdateItem'],
  delete: ['dynamodb:DeleteItem'],
  check: ['dynamodb:ConditionCheckItem'],
} as const satisfies Record<TableAction, readonly string[]>;

export const bucketActions = {
  // Presigned download URLs are signed with the function's credentials, so signing them needs
  // the same permission as reading; an exact version (verified evidence) needs GetObjectVersion.
  read: ['s3:GetObject'],
  readVersion: ['s3:GetObjectVersion'],
  // Likewise presigned POST forms; multipart uploads (exports) are authorised as PutObject.
  write: ['s3:PutObject'],
  // A failed multipart upload (the export worker's) is aborted so its parts stop costing.
  multipart: ['s3:AbortMultipartUpload'],
  delete: ['s3:DeleteObject'],
  // Only the verifier deletes one exact version: a rejected or superseded upload.
  deleteVersion: ['s3:DeleteObjectVersion'],
} as const satisfies Record<BucketAction, readonly string[]>;

export const eventActions = { put: ['events:PutEvents'] } as const;

/** Cognito's admin APIs, each need exactly what the adapter (shared/adapters/cognito) sends for it. */
export const userPoolActions = {
  // AdminGetUser: an account that already exists for the e-mail is read back (a retry).
  create: [
    'cognito-idp:AdminCreateUser',
    'cognito-idp:AdminGetUser',
    'cognito-idp:AdminAddUserToGroup',
    'cognito-idp:AdminListGroupsForUser',
  ],
  role: [
    'cognito-idp:AdminAddUserToGroup',
    'cognito-idp:AdminListGroupsForUser',
    'cognito-idp:AdminRemoveUserFromGroup',
  ],
  attributes: ['cognito-idp:AdminUpdateUserAttributes'],
  disable: ['cognito-idp:AdminDisableUser', 'cognito-idp:AdminUserGlobalSignOut'],
  enable: ['cognito-idp:AdminEnableUser'],
  resetTotp: ['cognito-idp:AdminSetUserMFAPreference', 'cognito-idp:AdminUserGlobalSignOut'],
} as const satisfies Record<UserPoolAction, readonly string[]>;

/** The table and every index by name: reads Query indexes, and naming them avoids `/index/*`. */
export function tableResources(tableArn: string, includeIndexes: boolean): string[] {
  return [
    tableArn,
    ...(includeIndexes ? globalIndexes.map((index) => `${tableArn}/index/${index.indexName}`) : []),
  ];
}

/** The IAM statements that a route's or worker's `access` declaration grants; none for `{}`. */
export function accessStatements(access: Access, targets: AccessTargets): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const tableNeeds = [...new Set(access.table ?? [])];
  if (tableNeeds.includes('read')) {
    statements.push(allow([...tableActions.read], tableResources(targets.tableArn, true)));
  }
  const writes = tableNeeds.filter((need) => need !== 'read').flatMap((need) => tableActions[need]);
  if (writes.length > 0) {
    // Writes never target an index: DynamoDB maintains the indexes itself.
    statements.push(allow(writes, tableResources(targets.tableArn, false)));
  }
  const bucketActionList = [...new Set(access.bucket ?? [])].flatMap((need) => bucketActions[need]);
  if (bucketActionList.length > 0) {
    statements.push(allow(bucketActionList, [`${targets.bucketArn}/*`]));
  }
  if ((access.events ?? []).includes('put')) {
    statements.push(allow([...eventActions.put], [targets.eventBusArn]));
  }
  const poolActions = [...new Set((access.userPool ?? []).flatMap((need) => userPoolActions[need]))];
  if (poolActions.length > 0) {
    if (!targets.userPoolArn) throw new Error('A userPool declaration needs the user pool ARN');
    statements.push(allow(poolActions, [targets.userPoolArn]));
  }
  return statements;
}

function allow(actions: string[], resources: string[]): PolicyStatement {
  return new PolicyStatement({ effect: Effect.ALLOW, actions, resources });
}
