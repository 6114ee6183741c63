import { describe, expect, it } from 'vitest';
import { spreadLabels } from '../../../web/src/console/chart-labels.ts';

describe("the score chart's band labels", () => {
  it('stay level with their lines when those are far apart', () => {
    expect(spreadLabels([40, 100, 200], 15, 0, 280)).toEqual([40, 100, 200]);
  });

  it('move apart, in their order, when lines are closer than a label is tall', () => {
    // 90, 88 and 30 on a 0-280 px plot: the two close ones a line apart, the far one left alone.
    expect(spreadLabels([28, 33, 196], 15, 0, 280)).toEqual([28, 43, 196]);
    // Given in any order: each keeps its own.
    expect(spreadLabels([33, 196, 28], 15, 0, 280)).toEqual([43, 196, 28]);
  });

  it('stay inside the plot: a run pushed past the bottom shifts back up', () => {
    expect(spreadLabels([270, 275, 280], 15, 7, 273)).toEqual([243, 258, 273]);
    expect(spreadLabels([-5], 15, 7, 273)).toEqual([7]);
  });
});
