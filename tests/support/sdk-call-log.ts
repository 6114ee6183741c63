/**
 * Setup file of the projects that call the handlers (integration, e2e, proof): turns the SDK call
 * log on for this test process and, through the inherited environment, for the local servers the
 * e2e tests spawn. Clients are built lazily (on a wiring's first call), after this file has run.
 */
import { inject } from 'vitest';

process.env.PAR_SDK_CALL_LOG_DIR = inject('sdkCallLogDir');
