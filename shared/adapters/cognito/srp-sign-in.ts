/**
 * Signing a person in from the command line as the pool requires: SRP (the password never
 * leaves the machine) and TOTP. Used by `npm run smoke` for its temporary user, whose first
 * sign-in registers an authenticator (MFA_SETUP) with the secret Cognito hands out, and answers
 * with a code computed from that secret. amazon-cognito-identity-js carries Cognito's own SRP
 * implementation; it is in maintenance (Amplify v5), chosen over a home-made SRP for a check
 * that must agree with Cognito bit for bit.
 */
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { TOTP } from 'otpauth';

/** The current 6-digit code of a base32 TOTP secret (RFC 6238, SHA-1, 30 s), as authenticator apps compute it. */
export function totpCode(secret: string, at: Date = new Date()): string {
  return new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at.getTime() });
}

export interface SrpSignIn {
  userPoolId: string;
  clientId: string;
  username: string;
  password: string;
}

/** Signs in by SRP, enrolling TOTP on the way when Cognito asks; answers the access token. */
export function signInWithSrpAndTotp(input: SrpSignIn): Promise<string> {
  const pool = new CognitoUserPool({ UserPoolId: input.userPoolId, ClientId: input.clientId });
  const user = new CognitoUser({ Username: input.username, Pool: pool });
  const details = new AuthenticationDetails({ Username: input.username, Password: input.password });
  let secret: string | null = null;
  return new Promise((resolve, reject) => {
    user.authenticateUser(details, {
      onSuccess: (session) => resolve(session.getAccessToken().getJwtToken()),
      onFailure: (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
      newPasswordRequired: () =>
        reject(new Error('Cognito asks for a new password: set a permanent one first')),
      mfaSetup: () =>
        user.associateSoftwareToken({
          associateSecretCode: (secretCode) => {
            secret = secretCode;
            user.verifySoftwareToken(totpCode(secretCode), 'par-inspect smoke', {
              onSuccess: (session) => resolve(session.getAccessToken().getJwtToken()),
              onFailure: reject,
            });
          },
          onFailure: reject,
        }),
      totpRequired: () => {
        if (!secret)
          return reject(
            new Error('Cognito asks for a TOTP code of an authenticator this run did not register'),
          );
        user.sendMFACode(
          totpCode(secret),
          {
            onSuccess: (session) => resolve(session.getAccessToken().getJwtToken()),
            onFailure: reject,
          },
          'SOFTWARE_TOKEN_MFA',
        );
      },
    });
  });
}
