/** The agency named on inspection records: defaults, the deployment's values, a bad symbol. */
import { describe, expect, it } from 'vitest';
import { recordSettingDefaults, recordSettings } from '#config/record-settings.ts';
import { functionEnvironment } from '#infra/environment.ts';

describe('record settings', () => {
  it('are Nghệ An’s Sở Nội vụ when nothing is set', () => {
    expect(recordSettings({})).toEqual({
      authority: 'UBND tỉnh Nghệ An',
      agency: 'Sở Nội vụ',
      symbol: 'SNV',
      place: 'Nghệ An',
    });
  });

  it('reads the deployment’s values as the functions get them, in NFC', () => {
    const records = {
      authority: 'UBND tỉnh Hà Tĩnh'.normalize('NFD'),
      agency: 'Sở Nội vụ',
      symbol: 'SNV-CCHC',
      place: 'Hà Tĩnh',
    };
    const env = functionEnvironment({
      tableName: 't',
      bucketName: 'b',
      eventBusName: 'e',
      allowedOrigins: [],
      records,
    });
    expect(recordSettings(env)).toEqual({ ...records, authority: 'UBND tỉnh Hà Tĩnh'.normalize('NFC') });
    // Without settings the functions get the defaults.
    expect(
      recordSettings(
        functionEnvironment({ tableName: 't', bucketName: 'b', eventBusName: 'e', allowedOrigins: [] }),
      ),
    ).toEqual(recordSettingDefaults);
  });

  it('refuses a symbol that cannot stand in a record number or a key', () => {
    for (const symbol of ['snv', 'S N V', 'SNV#1', '-SNV', 'A'.repeat(21)]) {
      expect(() => recordSettings({ RECORD_SYMBOL: symbol }), symbol).toThrow(/RECORD_SYMBOL/);
    }
  });
});
