import { directory } from '#adapters/cognito/parts.ts';
import { staff, units } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { changeStaff, staffDetail } from '#app/staff.ts';
import { httpHandler } from '#http/handler.ts';
import { staffContracts } from '#routes/contracts/staff.ts';
import { patchStaffRoute } from '#routes/table.ts';

const deps = wire({ units, staff, directory, clock });

const contract = staffContracts.patchStaff;

export const handler = httpHandler({
  route: patchStaffRoute,
  params: contract.params,
  body: contract.body,
  async handle({ principal, params, body, ifMatch }) {
    await changeStaff(deps(), principal, params.userId, body, ifMatch);
    const { record, body: detail } = await staffDetail(deps(), principal, params.userId);
    return { status: 200, body: detail, etag: record.etag };
  },
});
