/** The CDK CLI's entry (cdk.json `app`). Settings come from context: see docs/deploy.md. */
import { buildApp } from './build.ts';

buildApp().app.synth();
