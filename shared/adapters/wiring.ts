/**
 * Wiring per use case: each function names the parts its use case uses (`wire`), and only those
 * are built, each once per process on first use. A function imports only the factories it names,
 * so esbuild leaves every other store, SDK client and library out of its bundle (issue 12).
 *
 * One mechanism replaces parts for the local server and tests (an in-process event publisher, a
 * fault-injecting store, a fixed clock): `configureDeps`, seen by every wiring of the process.
 */
import type { Deps } from '#app/deps.ts';
import { type Clock, systemClock } from '#ports/clock.ts';
import { resetSharedClients } from './clients.ts';

type Part = keyof Deps;

/** How to build each part a use case needs (the `parts.ts` module of each adapter). */
export type Factories = { [K in Part]?: () => Deps[K] };

/** The parts named by `F`, built. */
export type Wired<F extends Factories> = { [K in keyof F & Part]: Deps[K] };

let overrides: Partial<Deps> = {};
// Parts built so far in this process, shared by every wiring (the local server loads every
// handler in one process; a template version cached by one is there for the others).
let built: Partial<Deps> = {};
let version = 0;

/** Replaces some parts in every wiring of this process (local mode, tests). */
export function configureDeps(partial: Partial<Deps>): void {
  overrides = { ...overrides, ...partial };
  built = {};
  version++;
}

/** Back to the parts built from the environment, SDK clients included (tests that change it). */
export function resetDeps(): void {
  overrides = {};
  built = {};
  version++;
  resetSharedClients();
}

/** The clock in use, replaced or not: stores that keep time (leases) read it too. */
export function currentClock(): Clock {
  return overrides.clock ?? systemClock;
}

/** The clock's factory, for wirings: the system's unless configureDeps replaced it. */
export const clock = (): Clock => systemClock;

function part<K extends Part>(name: K, make: () => Deps[K]): Deps[K] {
  const existing = overrides[name] ?? built[name];
  if (existing !== undefined) return existing;
  const made = make();
  built[name] = made;
  return made;
}

/**
 * The parts one use case needs, as an accessor: called at invocation time (never at import, so
 * configuration errors surface as the handler's own), built on first call and again after
 * configureDeps or resetDeps.
 */
export function wire<F extends Factories>(factories: F): () => Wired<F> {
  let wired: Partial<Deps> = {};
  let wiredAt = -1;
  return () => {
    if (wiredAt !== version) {
      wired = {};
      for (const name of Object.keys(factories) as Part[]) {
        const make = factories[name];
        if (make) Object.assign(wired, { [name]: part(name, make) });
      }
      wiredAt = version;
    }
    // Every key of F was just built above.
    return wired as Wired<F>;
  };
}
