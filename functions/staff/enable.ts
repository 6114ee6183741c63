import { directory } from '#adapters/cognito/parts.ts';
import { staff } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { setStaffEnabled, staffDetail } from '#app/staff.ts';
import { httpHandler } from '#http/handler.ts';
import { staffContracts } from '#routes/contracts/staff.ts';
import { enableStaffRoute } from '#routes/table.ts';

const deps = wire({ staff, directory, clock });

export const handler = httpHandler({
  route: enableStaffRoute,
  params: staffContracts.enableStaff.params,
  async handle({ principal, params, ifMatch }) {
    await setStaffEnabled(deps(), principal, params.userId, true, ifMatch);
    const { record, body } = await staffDetail(deps(), principal, params.userId);
    return { status: 200, body, etag: record.etag };
  },
});
