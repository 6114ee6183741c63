/**
 * Cognito pre-token-generation trigger (V2 event). Cognito puts custom attributes into ID tokens
 * only, but the API authorises with access tokens: this copies `custom:unitId` (and `name`, which
 * API.md lists among the claims) into the access token, so API Gateway's JWT authorizer hands
 * them to the handlers. A user without a unit gets no unit claim, and the API refuses the token
 * (fail closed).
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';

/** User attributes copied into access tokens under the same claim names. */
const copiedAttributes = ['custom:unitId', 'name'] as const;

export async function handler(
  event: PreTokenGenerationV2TriggerEvent,
): Promise<PreTokenGenerationV2TriggerEvent> {
  const claims: Record<string, string> = {};
  for (const attribute of copiedAttributes) {
    const value = event.request.userAttributes[attribute]?.trim();
    if (value) claims[attribute] = value;
  }
  if (Object.keys(claims).length === 0) return event;
  const current = event.response.claimsAndScopeOverrideDetails;
  event.response = {
    claimsAndScopeOverrideDetails: {
      ...current,
      accessTokenGeneration: {
        ...current?.accessTokenGeneration,
        claimsToAddOrOverride: { ...current?.accessTokenGeneration?.claimsToAddOrOverride, ...claims },
      },
    },
  };
  return event;
}
