import { scores, templates, units } from '#adapters/dynamodb/parts.ts';
import { wire } from '#adapters/wiring.ts';
import { getScores } from '#app/scores.ts';
import { httpHandler } from '#http/handler.ts';
import { scoreContracts } from '#routes/contracts/scores.ts';
import { getScoresRoute } from '#routes/table.ts';

const deps = wire({ units, templates, scores });

export const handler = httpHandler({
  route: getScoresRoute,
  query: scoreContracts.getScores.query,
  async handle({ principal, query }) {
    return { status: 200, body: await getScores(deps(), principal, query) };
  },
});
