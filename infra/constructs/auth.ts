import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolGroup,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Role } from '#routes/table.ts';
import { rankingResourceServer, rankingScopeName, serviceName } from '../environment.ts';
import { acknowledge } from '../nag.ts';
import { ProjectFunction } from './project-function.ts';

/** The Cognito groups that carry staff roles (`ranking` is a machine client, not a group). */
export const staffGroups = ['admin', 'manager', 'inspector'] as const satisfies readonly Role[];

export interface AuthProps {
  /** The Cognito domain prefix for the OAuth token endpoint. @default `par-inspect-<account>` */
  readonly domainPrefix?: string | undefined;
  /** The app's origin (`https://<distribution>.cloudfront.net`): sign-in returns there. */
  readonly appOrigin: string;
}

/** Where managed login sends people back after signing in and after signing out. */
export function appCallbackUrls(appOrigin: string): { callback: string; signOut: string } {
  return { callback: `${appOrigin}/auth/callback`, signOut: `${appOrigin}/` };
}

/**
 * Who may call the API: staff in a user pool (groups admin, manager, inspector; each with the
 * unit whose subtree they see), and the ranking system as an OAuth client-credentials client
 * limited to the publications.read scope.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  /** The client that people's apps (mobile forms, manager tools) sign in with. */
  readonly peopleClient: UserPoolClient;
  /** The ranking system's machine client (client credentials, with a secret). */
  readonly rankingClient: UserPoolClient;
  /** The pre-token-generation trigger that copies custom:unitId into access tokens. */
  readonly preTokenFunction: ProjectFunction;
  /** The OAuth token endpoint's base URL. */
  readonly domainUrl: string;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'Users', {
      // Accounts are created by administrators for named staff only.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: {
        // The unit whose subtree the user sees; only administrators set it (admin API).
        unitId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Essentials is the cheapest plan that lets the pre-token trigger change access tokens.
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    acknowledge(
      this.userPool,
      'AwsSolutions-COG8',
      'Threat protection (Plus plan) is billed per active user; the pool has no self sign-up (administrators create every account), requires TOTP MFA and a 12-character password policy.',
    );

    for (const group of staffGroups) {
      new UserPoolGroup(this, `Group-${group}`, {
        userPool: this.userPool,
        groupName: group,
        description: `par-inspect role ${group}`,
      });
    }

    this.preTokenFunction = new ProjectFunction(this, 'PreToken', {
      entry: 'functions/auth/pre-token.ts',
      access: {},
      environment: { POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_SERVICE_NAME: serviceName },
      description: 'Copies custom:unitId into access tokens',
      // Cognito waits at most 5 s for a trigger.
      timeout: Duration.seconds(5),
      memorySize: 256,
    });
    // V2 events are the ones that may add claims to access tokens, not just ID tokens.
    this.userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      this.preTokenFunction.function,
      LambdaVersion.V2_0,
    );

    const urls = appCallbackUrls(props.appOrigin);
    this.peopleClient = this.userPool.addClient('PeopleClient', {
      authFlows: { userSrp: true },
      // A public client (the app in a browser): the authorization code grant with PKCE, which
      // oidc-client-ts always sends; no implicit grant, no secret.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [urls.callback],
        logoutUrls: [urls.signOut],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('unitId'),
      // Deliberately without custom:unitId: a user must never move themselves to another unit.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    const resourceServer = this.userPool.addResourceServer('RankingApi', {
      identifier: rankingResourceServer,
      userPoolResourceServerName: 'par-inspect API',
      scopes: [
        new ResourceServerScope({
          scopeName: rankingScopeName,
          scopeDescription: 'Read frozen publications',
        }),
      ],
    });
    this.rankingClient = this.userPool.addClient('RankingClient', {
      generateSecret: true,
      authFlows: {},
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [
          OAuthScope.resourceServer(
            resourceServer,
            new ResourceServerScope({
              scopeName: rankingScopeName,
              scopeDescription: 'Read frozen publications',
            }),
          ),
        ],
      },
    });

    const domain = this.userPool.addDomain('Domain', {
      cognitoDomain: {
        // Prefixes are unique per region across all accounts; the account ID makes the default so.
        domainPrefix: props.domainPrefix ?? Fn.join('-', ['par-inspect', Aws.ACCOUNT_ID]),
      },
      // Managed login (v2), the pages people sign in and enrol TOTP on; v2 shows no page at
      // all for a client without a branding style (below).
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.domainUrl = domain.baseUrl();
    const branding = new CfnManagedLoginBranding(this, 'PeopleLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.peopleClient.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    // A style can only name a client of a pool that has a v2 domain.
    branding.node.addDependency(domain);
  }
}
