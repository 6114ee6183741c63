import { Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Policy } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { globalIndexes, keyAttributeNames, keyAttributes } from '#adapters/dynamodb/table.ts';
import { defaultRankingScope } from '#http/principal.ts';
import type { ProjectFunction } from '#infra/constructs/project-function.ts';
import { flattenReference } from '#infra/nag.ts';
import { eventSource, eventTypes } from '#routes/integration.ts';
import { type Access, type RouteDefinition, routes, workers } from '#routes/table.ts';
import {
  actionsWithResources,
  logicalIdOf,
  propertiesOf,
  type Statement,
  type Synthesised,
  synthesise,
  testOrigins,
} from './support.ts';

/**
 * What each declaration in the route table allows, written out independently of infra/access.ts
 * so that a change in either shows up here.
 */
const expectedActions = {
  table: {
    read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
    put: ['dynamodb:PutItem'],
    update: ['dynamodb:UpdateItem'],
    delete: ['dynamodb:DeleteItem'],
    check: ['dynamodb:ConditionCheckItem'],
  },
  bucket: {
    read: ['s3:GetObject'],
    readVersion: ['s3:GetObjectVersion'],
    write: ['s3:PutObject'],
    multipart: ['s3:AbortMultipartUpload'],
    delete: ['s3:DeleteObject'],
    deleteVersion: ['s3:DeleteObjectVersion'],
  },
  events: { put: ['events:PutEvents'] },
  userPool: {
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
  },
} as const;

let synth: Synthesised;
// One synthesis for the file (a few seconds, more on a busy machine).
beforeAll(() => {
  synth = synthesise();
}, 60_000);

/** Symbolic names for the ARNs a policy may mention, as they appear in the template. */
function symbolicResource(resource: string, own: { logs: string; deadLetters?: string }): string {
  if (resource === '*') return '*';
  if (resource === `<${logicalIdOf(synth.api, synth.api.auth.userPool)}.Arn>`) return 'user-pool';
  if (resource === `<${own.logs}.Arn>`) return 'own-logs';
  if (own.deadLetters && resource === `<${own.deadLetters}.Arn>`) return 'own-dead-letters';
  const table =
    /^(?:<TableCD117FA1\.Arn>|ParInspectData:ExportsOutputFnGetAttTableCD117FA1Arn[0-9A-F]+)(\/index\/\w+)?$/.exec(
      resource,
    );
  if (table) return `table${table[1] ?? ''}`;
  if (
    /^(?:<Files8E6940B8\.Arn>|ParInspectData:ExportsOutputFnGetAttFiles8E6940B8Arn[0-9A-F]+)\/\*$/.test(
      resource,
    )
  )
    return 'bucket/*';
  if (/^(?:<BusEA82B648\.Arn>|ParInspectData:ExportsOutputFnGetAttBusEA82B648Arn[0-9A-F]+)$/.test(resource))
    return 'bus';
  return `unexpected:${resource}`;
}

/** The full permission set a function with this declaration must have, action by action. */
function expectedPermissions(access: Access, worker: boolean): Map<string, Set<string>> {
  const expected = new Map<string, Set<string>>([
    ['logs:CreateLogStream', new Set(['own-logs'])],
    ['logs:PutLogEvents', new Set(['own-logs'])],
    ['xray:PutTraceSegments', new Set(['*'])],
    ['xray:PutTelemetryRecords', new Set(['*'])],
  ]);
  if (worker) expected.set('sqs:SendMessage', new Set(['own-dead-letters']));
  const indexes = globalIndexes.map((index) => `table/index/${index.indexName}`);
  for (const need of access.table ?? []) {
    for (const action of expectedActions.table[need]) {
      expected.set(action, new Set(need === 'read' ? ['table', ...indexes] : ['table']));
    }
  }
  for (const need of access.bucket ?? []) {
    for (const action of expectedActions.bucket[need]) expected.set(action, new Set(['bucket/*']));
  }
  for (const need of access.events ?? []) {
    for (const action of expectedActions.events[need]) expected.set(action, new Set(['bus']));
  }
  for (const need of access.userPool ?? []) {
    for (const action of expectedActions.userPool[need]) expected.set(action, new Set(['user-pool']));
  }
  return expected;
}

function actualPermissions(fn: ProjectFunction): Map<string, Set<string>> {
  const stack = Stack.of(fn);
  const template = stack === synth.stateful ? synth.dataTemplate : synth.apiTemplate;
  const policy = fn.role.node.tryFindChild('DefaultPolicy');
  if (!(policy instanceof Policy)) throw new Error(`${fn.node.path} has no policy`);
  const document = propertiesOf(template, logicalIdOf(stack, policy)).PolicyDocument as {
    Statement: Statement[];
  };
  const deadLetters = fn.function.deadLetterQueue;
  const own = {
    logs: logicalIdOf(stack, fn.logGroup),
    ...(deadLetters ? { deadLetters: logicalIdOf(stack, deadLetters) } : {}),
  };
  const permissions = actionsWithResources(document.Statement);
  return new Map(
    [...permissions].map(([action, resources]) => [
      action,
      new Set([...resources].map((resource) => symbolicResource(resource, own))),
    ]),
  );
}

/** Every IAM policy of the app's functions: none may have a wildcard action. */
/** CDK's BucketDeployment handler: its own code and role, see tests/infra/web.test.ts. */
const bucketDeploymentPrefix = 'CustomCDKBucketDeployment';

/** The app's CloudFront origin as cdk-nag prints it in another stack: an import of its domain. */
const appOriginPattern =
  /^https:\/\/ParInspectWeb:ExportsOutputFnGetAttDistribution[0-9A-F]+DomainName[0-9A-F]+$/;

function allPolicyActions(): string[] {
  return [synth.dataTemplate, synth.apiTemplate].flatMap((template) =>
    Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([logicalId, resource]) => {
      // CDK's upload handler (deploy time only) is checked in web.test.ts.
      if (logicalId.startsWith(bucketDeploymentPrefix)) return [];
      const statements = (resource.Properties as { PolicyDocument: { Statement: Statement[] } })
        .PolicyDocument.Statement;
      return statements.flatMap((statement) =>
        Array.isArray(statement.Action) ? statement.Action : [statement.Action],
      );
    }),
  );
}

describe('least privilege from the route table', () => {
  it.each(routes.map((route) => [route.name, route] as const))(
    '%s has exactly its declared permissions',
    (name, route) => {
      const actual = actualPermissions(synth.api.functionOf(name));
      expect(actual).toEqual(expectedPermissions(route.access, false));
    },
  );

  it.each(workers.map((worker) => [worker.name, worker] as const))(
    'worker %s has exactly its declared permissions (and its dead-letter queue)',
    (name, worker) => {
      const fn =
        name === synth.stateful.verifier.node.id ? synth.stateful.verifier : synth.api.functionOf(name);
      expect(actualPermissions(fn)).toEqual(expectedPermissions(worker.access, true));
    },
  );

  it('gives the 404 fallback and the pre-token trigger nothing but logs and tracing', () => {
    expect(actualPermissions(synth.api.notFound)).toEqual(expectedPermissions({}, false));
    expect(actualPermissions(synth.api.auth.preTokenFunction)).toEqual(expectedPermissions({}, false));
  });

  it('gives Cognito admin actions to the staff functions only, each exactly what its route uses, on the pool only', () => {
    const poolActions = (name: string) =>
      [...actualPermissions(synth.api.functionOf(name))]
        .filter(([action]) => action.startsWith('cognito-idp:'))
        .map(([action, resources]) => `${action} on ${[...resources].join(',')}`)
        .sort();
    expect(poolActions('createStaff')).toEqual(
      ['AdminAddUserToGroup', 'AdminCreateUser', 'AdminGetUser', 'AdminListGroupsForUser'].map(
        (action) => `cognito-idp:${action} on user-pool`,
      ),
    );
    expect(poolActions('patchStaff')).toEqual(
      [
        'AdminAddUserToGroup',
        'AdminListGroupsForUser',
        'AdminRemoveUserFromGroup',
        'AdminUpdateUserAttributes',
      ].map((action) => `cognito-idp:${action} on user-pool`),
    );
    expect(poolActions('disableStaff')).toEqual(
      ['AdminDisableUser', 'AdminUserGlobalSignOut'].map((action) => `cognito-idp:${action} on user-pool`),
    );
    expect(poolActions('enableStaff')).toEqual(['cognito-idp:AdminEnableUser on user-pool']);
    expect(poolActions('resetStaffTotp')).toEqual(
      ['AdminSetUserMFAPreference', 'AdminUserGlobalSignOut'].map(
        (action) => `cognito-idp:${action} on user-pool`,
      ),
    );
    const others = routes.filter(
      (route) =>
        !['createStaff', 'patchStaff', 'disableStaff', 'enableStaff', 'resetStaffTotp'].includes(route.name),
    );
    for (const route of others) expect(poolActions(route.name), route.name).toEqual([]);
  });

  it('tells only the functions that call Cognito which user pool it is', () => {
    const functions = Object.values(synth.apiTemplate.findResources('AWS::Lambda::Function')).map(
      (resource) =>
        resource.Properties as {
          Description?: string;
          Environment?: { Variables?: Record<string, unknown> };
        },
    );
    const withPool = functions
      .filter((properties) => properties.Environment?.Variables?.USER_POOL_ID !== undefined)
      .map((properties) => String(properties.Description).split(':')[0])
      .sort();
    expect(withPool).toEqual(
      routes
        .filter((route) => (route.access.userPool ?? []).length > 0)
        .map((route) => `${route.method} ${route.path}`)
        .sort(),
    );
    const pool = functions.find((properties) =>
      String(properties.Description).startsWith('PATCH /v1/staff/{userId}'),
    )?.Environment?.Variables?.USER_POOL_ID;
    expect(pool).toEqual({ Ref: logicalIdOf(synth.api, synth.api.auth.userPool) });
  });

  it('has no wildcard action in any policy of the app', () => {
    const actions = allPolicyActions();
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('uses no AWS managed policy on project functions', () => {
    for (const [logicalId, role] of Object.entries(synth.apiTemplate.findResources('AWS::IAM::Role'))) {
      if (logicalId.startsWith(bucketDeploymentPrefix)) continue;
      expect((role.Properties as Record<string, unknown>).ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('routes and authorizers', () => {
  const routeKeys = () =>
    Object.values(synth.apiTemplate.findResources('AWS::ApiGatewayV2::Route')).map(
      (resource) => (resource.Properties as { RouteKey: string }).RouteKey,
    );

  it('synthesises exactly one route per route table entry, plus $default', () => {
    const keys = routeKeys();
    const expected = routes.map((route) => `${route.method} ${route.path}`);
    expect(new Set(expected).size).toBe(expected.length);
    expect(keys.filter((key) => key !== '$default').sort()).toEqual([...expected].sort());
    expect(keys.filter((key) => key === '$default')).toHaveLength(1);
  });

  it('puts a JWT authorizer on every private route and none on health, openapi and $default', () => {
    const authorizers = synth.apiTemplate.findResources('AWS::ApiGatewayV2::Authorizer');
    const byName = (name: string) => {
      const id = Object.keys(authorizers).find((logicalId) => logicalId.includes(name));
      if (!id) throw new Error(`No authorizer ${name}`);
      return id;
    };
    const staff = byName('StaffAuthorizer');
    const publicationRead = byName('PublicationReadAuthorizer');
    const byKey = new Map(
      Object.values(synth.apiTemplate.findResources('AWS::ApiGatewayV2::Route')).map((resource) => {
        const properties = resource.Properties as {
          RouteKey: string;
          AuthorizationType: string;
          AuthorizerId?: unknown;
        };
        return [properties.RouteKey, properties] as const;
      }),
    );
    for (const route of routes as readonly RouteDefinition[]) {
      const synthesised = byKey.get(`${route.method} ${route.path}`);
      if (route.roles === 'public') {
        expect(synthesised?.AuthorizationType, route.name).toBe('NONE');
        expect(synthesised?.AuthorizerId, route.name).toBeUndefined();
      } else {
        expect(synthesised?.AuthorizationType, route.name).toBe('JWT');
        const expectedAuthorizer = route.roles.includes('ranking') ? publicationRead : staff;
        expect(synthesised?.AuthorizerId, route.name).toEqual({ Ref: expectedAuthorizer });
      }
    }
    expect(byKey.get('$default')?.AuthorizationType).toBe('NONE');
    expect(routes.filter((route) => route.roles === 'public').map((route) => route.path)).toEqual([
      '/v1/health',
      '/v1/openapi.json',
    ]);
  });

  it('lets only the people client through staff routes, and the ranking client too on publication reads', () => {
    const people = logicalIdOf(synth.api, synth.api.auth.peopleClient);
    const ranking = logicalIdOf(synth.api, synth.api.auth.rankingClient);
    const pool = logicalIdOf(synth.api, synth.api.auth.userPool);
    const issuer = {
      'Fn::Join': ['', [`https://cognito-idp.${synth.api.region}.amazonaws.com/`, { Ref: pool }]],
    };
    synth.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'StaffAuthorizer',
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: people }], Issuer: issuer },
    });
    synth.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'PublicationReadAuthorizer',
      AuthorizerType: 'JWT',
      JwtConfiguration: { Audience: [{ Ref: people }, { Ref: ranking }], Issuer: issuer },
    });
  });

  it('answers CORS as API.md says', () => {
    synth.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: [Match.anyValue(), ...testOrigins],
        AllowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key', 'Accept-Language'],
        ExposeHeaders: Match.arrayWith(['ETag']),
        AllowMethods: Match.arrayWith(['GET', 'PUT', 'POST', 'PATCH', 'DELETE']),
      },
    });
    // The app's own origin first, always; `allowedOrigins` only adds to it.
    const api = Object.values(synth.apiTemplate.findResources('AWS::ApiGatewayV2::Api'))[0];
    const origins = ((api?.Properties ?? {}) as { CorsConfiguration: { AllowOrigins: unknown[] } })
      .CorsConfiguration.AllowOrigins;
    expect(flattenReference(origins[0])).toMatch(appOriginPattern);
  });

  it('throttles the stage and writes access logs to a log group with retention', () => {
    synth.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
    synth.apiTemplate.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
  });
});

describe('stateful resources', () => {
  it('keeps the logical IDs of the table, the buckets, the bus and the user pool', () => {
    expect(logicalIdOf(synth.stateful, synth.stateful.table)).toBe('TableCD117FA1');
    expect(logicalIdOf(synth.stateful, synth.stateful.bucket)).toBe('Files8E6940B8');
    expect(Object.keys(synth.dataTemplate.findResources('AWS::S3::Bucket')).sort()).toEqual([
      'AccessLogs8B620ECA',
      'Files8E6940B8',
    ]);
    expect(Object.keys(synth.dataTemplate.findResources('AWS::DynamoDB::GlobalTable'))).toEqual([
      'TableCD117FA1',
    ]);
    expect(logicalIdOf(synth.stateful, synth.stateful.eventBus)).toBe('BusEA82B648');
    expect(logicalIdOf(synth.api, synth.api.auth.userPool)).toBe('AuthUsersE210B9B0');
  });

  it('builds the table from the shared key definition, on demand, with PITR, deletion protection and TTL', () => {
    synth.dataTemplate.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: keyAttributes.partitionKey, KeyType: 'HASH' },
          { AttributeName: keyAttributes.sortKey, KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
    const table = propertiesOf(synth.dataTemplate, 'TableCD117FA1') as {
      AttributeDefinitions: Array<{ AttributeName: string; AttributeType: string }>;
      GlobalSecondaryIndexes: Array<{ IndexName: string; KeySchema: unknown; Projection: unknown }>;
    };
    expect(table.AttributeDefinitions.map((a) => a.AttributeName).sort()).toEqual(
      [...keyAttributeNames].sort(),
    );
    expect(table.AttributeDefinitions.every((a) => a.AttributeType === 'S')).toBe(true);
    expect(table.GlobalSecondaryIndexes).toEqual(
      globalIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
  });

  it('denies non-TLS access to every bucket, blocks public access and encrypts', () => {
    const buckets = synth.dataTemplate.findResources('AWS::S3::Bucket');
    const policies = Object.values(synth.dataTemplate.findResources('AWS::S3::BucketPolicy'));
    for (const [logicalId, bucket] of Object.entries(buckets)) {
      expect(bucket.DeletionPolicy, logicalId).toBe('Retain');
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
      const policy = policies.find(
        (candidate) =>
          JSON.stringify((candidate.Properties as { Bucket: unknown }).Bucket) ===
          JSON.stringify({ Ref: logicalId }),
      );
      if (!policy) throw new Error(`${logicalId} has no bucket policy`);
      const statements = (
        policy.Properties as { PolicyDocument: { Statement: Array<Record<string, unknown>> } }
      ).PolicyDocument.Statement;
      expect(statements, logicalId).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('versions the files bucket, logs access, allows browser uploads and expires what it should', () => {
    const files = propertiesOf(synth.dataTemplate, 'Files8E6940B8');
    expect(files).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: 'AccessLogs8B620ECA' } },
      CorsConfiguration: {
        CorsRules: [
          expect.objectContaining({
            AllowedMethods: ['POST', 'GET', 'HEAD'],
            AllowedOrigins: [expect.anything(), ...testOrigins],
          }),
        ],
      },
    });
    const cors = files.CorsConfiguration as { CorsRules: Array<{ AllowedOrigins: unknown[] }> };
    expect(flattenReference(cors.CorsRules[0]?.AllowedOrigins[0])).toMatch(appOriginPattern);
    const rules = (files.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({ Prefix: 'exports/', ExpirationInDays: 7, Status: 'Enabled' }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
    );
  });

  it('runs the verifier on objects created under photos/ and scans/ only', () => {
    const verifier = logicalIdOf(synth.stateful, synth.stateful.verifier.function);
    synth.dataTemplate.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: 'Files8E6940B8' },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'photos/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [verifier, 'Arn'] },
          },
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'scans/' }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [verifier, 'Arn'] },
          },
        ],
      },
    });
  });

  it('gives no resource a physical name and keeps the data stack free of API dependencies', () => {
    const nameProperty: Record<string, string> = {
      'AWS::DynamoDB::GlobalTable': 'TableName',
      'AWS::S3::Bucket': 'BucketName',
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::IAM::Role': 'RoleName',
      'AWS::SQS::Queue': 'QueueName',
      'AWS::SNS::Topic': 'TopicName',
      'AWS::Logs::LogGroup': 'LogGroupName',
      'AWS::Cognito::UserPool': 'UserPoolName',
      'AWS::ApiGatewayV2::Api': 'Name',
    };
    let checked = 0;
    for (const template of [synth.dataTemplate, synth.apiTemplate]) {
      const resources = template.toJSON().Resources as Record<
        string,
        { Type: string; Properties?: Record<string, unknown> }
      >;
      for (const [logicalId, resource] of Object.entries(resources)) {
        const property = nameProperty[resource.Type];
        if (!property) continue;
        checked += 1;
        // The HTTP API requires a Name; CDK derives it from the construct path, like generated names.
        if (resource.Type === 'AWS::ApiGatewayV2::Api') expect(resource.Properties?.Name).toBe('Api');
        else expect(resource.Properties?.[property], `${logicalId}.${property}`).toBeUndefined();
      }
    }
    expect(checked).toBeGreaterThan(100);
    // Deploy order web -> data -> api; the data stack still depends on nothing of the API's.
    expect(synth.web.dependencies).toEqual([]);
    expect(synth.stateful.dependencies).toEqual([synth.web]);
    expect(new Set(synth.api.dependencies)).toEqual(new Set([synth.web, synth.stateful]));
  });
});

describe('functions', () => {
  it('runs every function on Node 24, arm64, traced, with its own log group that expires', () => {
    for (const template of [synth.dataTemplate, synth.apiTemplate]) {
      const functions = template.findResources('AWS::Lambda::Function');
      const logGroups = template.findResources('AWS::Logs::LogGroup');
      for (const [logicalId, fn] of Object.entries(functions)) {
        const properties = fn.Properties as Record<string, unknown>;
        // CDK's own custom resources
        if (
          logicalId.startsWith('BucketNotificationsHandler') ||
          logicalId.startsWith(bucketDeploymentPrefix)
        )
          continue;
        expect(properties, logicalId).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
        });
        const logGroup = flattenReference((properties.LoggingConfig as { LogGroup: unknown }).LogGroup);
        expect(logGroups[logGroup.replace(/^<|>$/g, '')]?.Properties, logicalId).toMatchObject({
          RetentionInDays: expect.any(Number),
        });
      }
    }
  });

  it('gives route functions the configuration their handlers read', () => {
    const fn = synth.api.functionOf('getVisit').function;
    synth.apiTemplate.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      Description: Match.stringLikeRegexp('^GET /v1/visits/\\{visitId\\}'),
      Environment: {
        Variables: {
          TABLE_NAME: Match.anyValue(),
          BUCKET_NAME: Match.anyValue(),
          EVENT_BUS_NAME: Match.anyValue(),
          CORS_ALLOWED_ORIGINS: Match.anyValue(),
          RANKING_SCOPE: defaultRankingScope,
          POWERTOOLS_LOG_LEVEL: 'INFO',
          POWERTOOLS_SERVICE_NAME: 'par-inspect',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
    expect(fn.runtime.name).toBe('nodejs24.x');
    const variables = (
      (Object.values(synth.apiTemplate.findResources('AWS::Lambda::Function')).find((resource) =>
        String((resource.Properties as { Description?: string }).Description).startsWith(
          'GET /v1/visits/{visitId}',
        ),
      )?.Properties ?? {}) as { Environment: { Variables: Record<string, unknown> } }
    ).Environment.Variables;
    const [appOrigin, ...extra] = flattenReference(variables.CORS_ALLOWED_ORIGINS).split(',');
    expect(appOrigin).toMatch(appOriginPattern);
    expect(extra).toEqual(testOrigins);
  });
});

describe('Cognito', () => {
  it('has the staff groups, a unit attribute users cannot write, and a V2 pre-token trigger', () => {
    for (const group of ['admin', 'manager', 'inspector']) {
      synth.apiTemplate.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
    }
    synth.apiTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'unitId', AttributeDataType: 'String', Mutable: true }),
      ]),
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      LambdaConfig: {
        PreTokenGenerationConfig: {
          LambdaVersion: 'V2_0',
          LambdaArn: {
            'Fn::GetAtt': [logicalIdOf(synth.api, synth.api.auth.preTokenFunction.function), 'Arn'],
          },
        },
      },
    });
    const people = propertiesOf(synth.apiTemplate, logicalIdOf(synth.api, synth.api.auth.peopleClient));
    expect(people.ReadAttributes).toContain('custom:unitId');
    expect(people.WriteAttributes).not.toContain('custom:unitId');
    expect(people.GenerateSecret).toBe(false);
  });

  it('gives the ranking system a client-credentials client limited to the ranking scope', () => {
    const [server, scope] = defaultRankingScope.split('/');
    synth.apiTemplate.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: server,
      Scopes: [Match.objectLike({ ScopeName: scope })],
    });
    const ranking = propertiesOf(synth.apiTemplate, logicalIdOf(synth.api, synth.api.auth.rankingClient));
    expect(ranking).toMatchObject({
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
    });
    expect((ranking.AllowedOAuthScopes as unknown[]).map(flattenReference)).toEqual([
      expect.stringMatching(new RegExp(`/${scope?.replace('.', '\\.')}$`)),
    ]);
    synth.apiTemplate.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });
});

describe('events', () => {
  it('runs the export worker on ExportRequested from par-inspect, with retries and a dead-letter queue', () => {
    synth.apiTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [eventSource], 'detail-type': [eventTypes.exportRequested] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(synth.api, synth.api.functionOf('runExport').function), 'Arn'] },
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: Match.anyValue(),
        }),
      ],
    });
  });

  it('runs the record worker on RecordRequested from par-inspect, with retries and a dead-letter queue', () => {
    synth.apiTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [eventSource], 'detail-type': [eventTypes.recordRequested] },
      Targets: [
        Match.objectLike({
          Arn: {
            'Fn::GetAtt': [logicalIdOf(synth.api, synth.api.functionOf('buildRecord').function), 'Arn'],
          },
          DeadLetterConfig: Match.anyValue(),
          RetryPolicy: Match.anyValue(),
        }),
      ],
    });
  });

  it('runs every scheduled worker (outbox sweeper, visit repair) every 5 minutes, with a dead-letter queue', () => {
    const scheduled = workers.filter((worker) => worker.trigger === 'schedule');
    expect(scheduled.map((worker) => worker.name)).toEqual(['announcePublications', 'repairVisits']);
    for (const worker of scheduled) {
      const fn = synth.api.functionOf(worker.name).function;
      synth.apiTemplate.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalIdOf(synth.api, fn), 'Arn'] },
            DeadLetterConfig: Match.anyValue(),
          }),
        ],
      });
      expect(fn.deadLetterQueue).toBeDefined();
    }
  });

  it('delivers ScoresPublished to the ranking API destination with an API key, retries and a DLQ', () => {
    synth.apiTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [eventSource], 'detail-type': [eventTypes.scoresPublished] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RankingDestination'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RankingDeadLetters'), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        }),
      ],
    });
    synth.apiTemplate.hasResourceProperties('AWS::Events::Connection', {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: 'x-api-key',
          // A dynamic reference: the key itself never appears in the template.
          ApiKeyValue: Match.stringLikeRegexp('^\\{\\{resolve:secretsmanager:'),
        },
      },
    });
    synth.apiTemplate.hasResourceProperties('AWS::Events::ApiDestination', {
      HttpMethod: 'POST',
      InvocationEndpoint: Match.stringLikeRegexp('^https://'),
    });
    // What `npm run dead-letters -- --aws` reads the dead letters from and replays them onto.
    synth.apiTemplate.hasOutput('RankingDeadLettersUrl', {
      Value: { Ref: Match.stringLikeRegexp('^RankingDeadLetters') },
    });
    synth.apiTemplate.hasOutput('EventBusName', { Value: Match.anyValue() });
  });
});

describe('monitoring', () => {
  it('alarms on the 5xx rate, each function errors and throttles, and every dead-letter queue', () => {
    const alarms = Object.values(synth.apiTemplate.findResources('AWS::CloudWatch::Alarm')).map(
      (resource) => resource.Properties as Record<string, unknown>,
    );
    const functionCount = routes.length + workers.length + 2; // + the 404 fallback and pre-token
    const byMetric = (metricName: string) => alarms.filter((alarm) => alarm.MetricName === metricName);
    expect(byMetric('Errors')).toHaveLength(functionCount);
    expect(byMetric('Throttles')).toHaveLength(functionCount);
    // Verifier, export, record, ranking delivery, the outbox sweeper and the visit repair.
    expect(byMetric('ApproximateNumberOfMessagesVisible')).toHaveLength(6);
    expect(
      alarms.filter((alarm) => JSON.stringify(alarm.Metrics ?? []).includes('100 * errors / requests')),
    ).toHaveLength(1);
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
    synth.apiTemplate.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('cdk-nag', () => {
  it('reports no unacknowledged AwsSolutions finding', () => {
    const report = synth.nag.validateScope(synth.app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgement a specific reason', () => {
    const acknowledgements: Array<{ id: string; reason: string }> = [];
    for (const construct of synth.app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
          acknowledgements.push({ id, reason: String(reason) });
        }
      }
    }
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledgements) {
      expect(id).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(reason.length, id).toBeGreaterThan(60);
    }
  });
});
