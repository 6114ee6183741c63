/**
 * The settings that name the agency issuing inspection records (one deployment serves one
 * province's Sở Nội vụ), from the environment: infra/config.ts passes the deployment's
 * (`-c recordAgency=...`), and local mode and tests take the defaults (Nghệ An's). A symbol that
 * could not stand in a record number (`Số: 12/BB-SNV`) or a key fails loudly at first use.
 */
import type { RecordSettings } from '#domain/record.ts';

export const recordSettingDefaults: RecordSettings = {
  authority: 'UBND tỉnh Nghệ An',
  agency: 'Sở Nội vụ',
  symbol: 'SNV',
  place: 'Nghệ An',
};

/** The environment variable of each setting. */
export const recordSettingVariables = {
  authority: 'RECORD_AUTHORITY',
  agency: 'RECORD_AGENCY',
  symbol: 'RECORD_SYMBOL',
  place: 'RECORD_PLACE',
} as const satisfies Record<keyof RecordSettings, string>;

/** Capital letters (Đ included) and digits, with inner hyphens: `SNV`, `SNV-CCHC`. */
export const recordSymbolPattern = /^[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*$/;

export function recordSettings(env: NodeJS.ProcessEnv = process.env): RecordSettings {
  const read = (name: keyof RecordSettings): string => {
    const value = env[recordSettingVariables[name]]?.trim();
    return value ? value.normalize('NFC') : recordSettingDefaults[name];
  };
  const settings: RecordSettings = {
    authority: read('authority'),
    agency: read('agency'),
    symbol: read('symbol'),
    place: read('place'),
  };
  if (!recordSymbolPattern.test(settings.symbol) || settings.symbol.length > 20) {
    throw new Error(
      `par-inspect configuration: ${recordSettingVariables.symbol} "${settings.symbol}" must be capital letters and digits (e.g. SNV), at most 20`,
    );
  }
  return settings;
}
