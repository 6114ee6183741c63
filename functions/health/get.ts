import { httpHandler } from '#http/handler.ts';
import { getHealthRoute } from '#routes/table.ts';

/** Liveness only: it touches no store, so it stays up when they are down. */
export const handler = httpHandler({
  route: getHealthRoute,
  async handle() {
    return { status: 200, body: { status: 'ok' } };
  },
});
