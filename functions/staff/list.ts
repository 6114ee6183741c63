import { staff, units } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { listStaff } from '#app/staff.ts';
import { httpHandler } from '#http/handler.ts';
import { staffContracts } from '#routes/contracts/staff.ts';
import { listStaffRoute } from '#routes/table.ts';

const deps = wire({ units, staff });

export const handler = httpHandler({
  route: listStaffRoute,
  query: staffContracts.listStaff.query,
  async handle({ principal, query }) {
    const { limit, cursor, ...filter } = query;
    const page = await listStaff(deps(), principal, filter, { limit, cursor: cursor ?? null });
    return { status: 200, body: page };
  },
});
