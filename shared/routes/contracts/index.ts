/**
 * Every route's contract, keyed by route name (the OpenAPI operationId). The OpenAPI generator
 * reads this map. RouteName is `string` (the route table's helper widens names), so the type
 * cannot catch a missing contract: tests/unit/openapi/contracts.test.ts checks that every route
 * has one and that no contract names a route the table lacks.
 */
import type { RouteName } from '#routes/table.ts';
import type { RouteContract } from './common.ts';
import { exportContracts } from './exports.ts';
import { findingContracts } from './findings.ts';
import { healthContracts } from './health.ts';
import { planContracts } from './plans.ts';
import { publicationContracts } from './publications.ts';
import { recordContracts } from './records.ts';
import { scoreContracts } from './scores.ts';
import { staffContracts } from './staff.ts';
import { templateContracts } from './templates.ts';
import { unitContracts } from './units.ts';
import { visitContracts } from './visits.ts';

export const contracts: Readonly<Record<RouteName, RouteContract>> = {
  ...healthContracts,
  ...unitContracts,
  ...templateContracts,
  ...visitContracts,
  ...findingContracts,
  ...exportContracts,
  ...scoreContracts,
  ...publicationContracts,
  ...planContracts,
  ...recordContracts,
  ...staffContracts,
};
