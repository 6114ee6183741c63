import { describe, expect, it } from 'vitest';
import { mergeSection } from '../../../bench/support/report.ts';

const handWritten = '# Benchmarks\n\nProse written by hand.\n\n## Export memory\n\n| a |\n';

describe('docs/benchmarks.md sections', () => {
  it('appends a new section after what is there, keeping it', () => {
    const merged = mergeSection(handWritten, 'cost', '## Cost\n\n$1');
    expect(merged.startsWith(handWritten.trimEnd())).toBe(true);
    expect(merged.endsWith('<!-- bench:cost -->\n## Cost\n\n$1\n<!-- /bench:cost -->\n')).toBe(true);
  });

  it('replaces only its own section, leaving the others and the prose around them', () => {
    let document = mergeSection(handWritten, 'cost', 'old cost');
    document = mergeSection(document, 'latency', 'old latency');
    document = `${document}\nA closing paragraph.\n`;
    const merged = mergeSection(document, 'cost', 'new cost');
    expect(merged).toContain('<!-- bench:cost -->\nnew cost\n<!-- /bench:cost -->');
    expect(merged).not.toContain('old cost');
    expect(merged).toContain('<!-- bench:latency -->\nold latency\n<!-- /bench:latency -->');
    expect(merged).toContain('Prose written by hand.');
    expect(merged.endsWith('A closing paragraph.\n')).toBe(true);
    expect(mergeSection(merged, 'cost', 'new cost')).toBe(merged);
  });

  it('refuses a document where a section lost one of its markers', () => {
    expect(() => mergeSection('# B\n<!-- bench:cost -->\nno end', 'cost', 'x')).toThrow(/one marker/);
  });
});
