/** The CDK CLI's entry (cdk.json `app`). Settings come from context: see docs/deploy.md. */
import { fileURLToPath } from 'node:url';
import { consoleLog } from '#local/log.ts';
import { prepareWebApp } from '#local/web-build.ts';
import { buildApp } from './build.ts';

// The web stack uploads web/dist, so synthesis builds it first (Vite's JS API), reusing the
// build while web/ and what it imports are unchanged; a failed build stops synthesis.
const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));
const web = await prepareWebApp({
  webRoot: fileURLToPath(new URL('../web/', import.meta.url)),
  repositoryRoot,
  log: consoleLog({ quiet: true }),
});
if (web.dist === null) throw new Error(`The web app did not build, so it cannot be deployed: ${web.reason}`);
buildApp({ webDist: web.dist }).app.synth();
