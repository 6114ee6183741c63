import { scores, templates, units } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { getUnitScores } from '#app/scores.ts';
import { httpHandler } from '#http/handler.ts';
import { scoreContracts } from '#routes/contracts/scores.ts';
import { getUnitScoresRoute } from '#routes/table.ts';

const deps = wire({ units, templates, scores });

const contract = scoreContracts.getUnitScores;

export const handler = httpHandler({
  route: getUnitScoresRoute,
  params: contract.params,
  query: contract.query,
  async handle({ principal, params, query }) {
    return { status: 200, body: await getUnitScores(deps(), principal, params.unitId, query) };
  },
});
