/**
 * The API's shapes as the browser sees them, inferred from the route contracts (type-only: no
 * schema code is pulled in by these imports).
 */
import type * as z from 'zod/mini';
import type { templateContracts } from '#routes/contracts/templates.ts';
import type { unitContracts } from '#routes/contracts/units.ts';
import type { visitContracts } from '#routes/contracts/visits.ts';

export type UnitOut = z.output<typeof unitContracts.getUnit.success.body>;
export type TemplateOut = z.output<typeof templateContracts.getTemplateVersion.success.body>;
/** A visit as lists carry it; single-visit answers add photos and history to this. */
export type VisitOut = z.output<typeof visitContracts.listVisits.success.body>['items'][number];
export type VisitDetailOut = z.output<typeof visitContracts.getVisit.success.body>;
export type PhotoOut = z.output<typeof visitContracts.getPhoto.success.body>;
export type PhotoUploadOut = z.output<typeof visitContracts.createPhoto.success.body>;
export type VisitBody = z.input<typeof visitContracts.putVisit.body>;
export type PhotoBody = z.input<typeof visitContracts.createPhoto.body>;
