import { directory } from '#adapters/cognito/parts.ts';
import { idempotency, staff, units } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { addStaff, staffDetail } from '#app/staff.ts';
import { httpHandler } from '#http/handler.ts';
import { staffContracts } from '#routes/contracts/staff.ts';
import { createStaffRoute } from '#routes/table.ts';

const deps = wire({ units, staff, idempotency, directory, clock });

export const handler = httpHandler({
  route: createStaffRoute,
  body: staffContracts.createStaff.body,
  async handle({ principal, body, idempotencyKey }) {
    const { status, record } = await addStaff(deps(), principal, body, idempotencyKey);
    const { record: current, body: detail } = await staffDetail(deps(), principal, record.userId);
    return { status, body: detail, etag: current.etag };
  },
});
