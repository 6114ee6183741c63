import { staff } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { staffDetail } from '#app/staff.ts';
import { httpHandler } from '#http/handler.ts';
import { staffContracts } from '#routes/contracts/staff.ts';
import { getStaffRoute } from '#routes/table.ts';

const deps = wire({ staff });

export const handler = httpHandler({
  route: getStaffRoute,
  params: staffContracts.getStaff.params,
  async handle({ principal, params }) {
    const { record, body } = await staffDetail(deps(), principal, params.userId);
    return { status: 200, body, etag: record.etag };
  },
});
