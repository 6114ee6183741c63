/**
 * Every part a use case may need. Each use case takes only the parts it uses
 * (`Pick<Deps, ...>`), and each function wires only those (shared/adapters/wiring.ts), so a
 * function builds and bundles nothing its use case does not call.
 */
import type { Clock } from '#ports/clock.ts';
import type { EventPublisher } from '#ports/events.ts';
import type { FileStorage } from '#ports/files.ts';
import type { ImageReader } from '#ports/images.ts';
import type { IdentityDirectory } from '#ports/staff.ts';
import type { Stores } from '#ports/store.ts';

export interface Deps extends Stores {
  files: FileStorage;
  events: EventPublisher;
  clock: Clock;
  images: ImageReader;
  /** Staff accounts at the identity provider: Cognito in AWS, a local directory under npm start. */
  directory: IdentityDirectory;
}
