/** The CDK CLI's entry (cdk.json `app`). Settings come from context: see docs/deploy.md. */
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { consoleLog } from '#local/log.ts';
import { prepareWebApp } from '#local/web-build.ts';
import { buildApp } from './build.ts';
import { ConfigError, readConfig } from './config.ts';

// Settings are checked before anything is built: a missing one refuses at once, as one line
// naming it (the CLI adds only its own "exited with error" line), not after a web build and
// under a stack trace. The throwaway App reads the same context as the real one.
try {
  readConfig(new App().node);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`par-inspect: ${error.message}`);
  process.exit(1);
}

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
