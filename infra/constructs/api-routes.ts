import { Stack } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, type IHttpRouteAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { type RouteDefinition, routes } from '#routes/table.ts';
import type { AccessTargets } from '../access.ts';
import { acknowledge } from '../nag.ts';
import type { Auth } from './auth.ts';
import { ProjectFunction } from './project-function.ts';

export interface ApiRoutesProps {
  /** The API the routes are added to. */
  readonly api: HttpApi;
  /** The user pool and its clients, which the JWT authorizers trust. */
  readonly auth: Auth;
  /** The table, bucket and bus the routes' `access` declarations refer to. */
  readonly targets: AccessTargets;
  /** The environment every route function gets. */
  readonly environment: Record<string, string>;
}

/**
 * One function and one API route per entry of the route table, each behind the authorizer its
 * roles call for: none for public routes, the people client for staff routes, and the people
 * or ranking client for publication reads.
 */
export class ApiRoutes extends Construct {
  /** The function of each route, by route name. */
  readonly functions = new Map<string, ProjectFunction>();

  constructor(scope: Construct, id: string, props: ApiRoutesProps) {
    super(scope, id);
    const { auth } = props;

    // The `iss` of Cognito tokens (the pool's ProviderURL attribute lacks the https:// scheme).
    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${auth.userPool.userPoolId}`;
    // Staff routes accept only tokens issued to the people client (Cognito access tokens carry
    // client_id, which the authorizer matches against the audience).
    const staffAuthorizer = new HttpJwtAuthorizer('StaffAuthorizer', issuer, {
      jwtAudience: [auth.peopleClient.userPoolClientId],
    });
    // Publication reads also accept the ranking client, which can only ever be issued the
    // publications.read scope: its tokens carry exactly the ranking scope.
    const publicationReadAuthorizer = new HttpJwtAuthorizer('PublicationReadAuthorizer', issuer, {
      jwtAudience: [auth.peopleClient.userPoolClientId, auth.rankingClient.userPoolClientId],
    });
    const authorizerFor = (route: RouteDefinition): IHttpRouteAuthorizer | undefined => {
      if (route.roles === 'public') return undefined;
      return route.roles.includes('ranking') ? publicationReadAuthorizer : staffAuthorizer;
    };

    const allRoutes: readonly RouteDefinition[] = routes;
    for (const route of allRoutes) {
      const managesStaff = (route.access.userPool ?? []).length > 0;
      const fn = new ProjectFunction(this, route.name, {
        entry: route.handler,
        access: route.access,
        targets: { ...props.targets, userPoolArn: auth.userPool.userPoolArn },
        // Only the functions that call Cognito's admin APIs are told which pool.
        environment: managesStaff
          ? { ...props.environment, USER_POOL_ID: auth.userPool.userPoolId }
          : props.environment,
        description: `${route.method} ${route.path}: ${route.summary}`,
      });
      this.functions.set(route.name, fn);
      const authorizer = authorizerFor(route);
      const created = props.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}Integration`, fn.function),
        ...(authorizer ? { authorizer } : {}),
      });
      if (!authorizer) {
        for (const publicRoute of created) {
          acknowledge(
            publicRoute,
            'AwsSolutions-APIG4',
            `${route.method} ${route.path} is public by API.md (liveness and the OpenAPI document); its function has no data access.`,
          );
        }
      }
    }
  }
}
