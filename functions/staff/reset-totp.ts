import { directory } from '#adapters/cognito/parts.ts';
import { staff } from '#adapters/dynamodb/parts.ts';
import { clock, wire } from '#adapters/wiring.ts';
import { resetStaffTotp, staffDetail } from '#app/staff.ts';
import { httpHandler } from '#http/handler.ts';
import { staffContracts } from '#routes/contracts/staff.ts';
import { resetStaffTotpRoute } from '#routes/table.ts';

const deps = wire({ staff, directory, clock });

export const handler = httpHandler({
  route: resetStaffTotpRoute,
  params: staffContracts.resetStaffTotp.params,
  async handle({ principal, params }) {
    await resetStaffTotp(deps(), principal, params.userId);
    const { record, body } = await staffDetail(deps(), principal, params.userId);
    return { status: 200, body, etag: record.etag };
  },
});
