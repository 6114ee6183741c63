import { computed, effect, signal } from '@preact/signals';
import { setMeta } from '../store/db.ts';
import { en } from './en.ts';
import { type Messages, vi } from './vi.ts';

export type Language = 'vi' | 'en';

const storageKey = 'par-inspect.lang';

function initialLanguage(): Language {
  // Vietnamese unless the user chose English on this phone: the app is for Vietnamese staff.
  return globalThis.localStorage?.getItem(storageKey) === 'en' ? 'en' : 'vi';
}

export const language = signal<Language>(initialLanguage());
export const t = computed<Messages>(() => (language.value === 'en' ? en : vi));

effect(() => {
  document.documentElement.lang = language.value;
  document.title = t.value.appTitle;
  localStorage.setItem(storageKey, language.value);
  // The service worker sends in the same language (it cannot read localStorage).
  void setMeta('lang', language.value).catch(() => undefined);
});

export function toggleLanguage(): void {
  language.value = language.value === 'vi' ? 'en' : 'vi';
}

/** Dates are always shown in Viet Nam's time, whatever zone the phone is set to. */
export const timeZone = 'Asia/Ho_Chi_Minh';

const dateFormats = new Map<Language, Intl.DateTimeFormat>();

/** A date-time in Asia/Ho_Chi_Minh, in the current language's style. */
export function formatDateTime(instant: string | number): string {
  const lang = language.value;
  let format = dateFormats.get(lang);
  if (format === undefined) {
    // The day, month and year as formatDate writes them ("01:16 04/12/2026", "4 Dec 2026,
    // 01:16"): `dateStyle: 'short'` gave "01:16 4/12/26", unlike every date beside it.
    format = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
      timeZone,
      ...(lang === 'vi'
        ? { day: '2-digit', month: '2-digit', year: 'numeric' }
        : { day: 'numeric', month: 'short', year: 'numeric' }),
      hour: '2-digit',
      minute: '2-digit',
    });
    dateFormats.set(lang, format);
  }
  return format.format(new Date(instant));
}

const dayFormats = new Map<Language, Intl.DateTimeFormat>();

/**
 * A calendar date (`YYYY-MM-DD`, a due date or an abolition date: a day, not an instant) in the
 * current language: 03/12/2026 in Vietnamese, 3 Dec 2026 in English. Read as that day at UTC
 * midnight and formatted in UTC, so no time zone moves it to the day before or after; text that
 * is not such a date is shown as it is.
 */
export function formatDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return date;
  const lang = language.value;
  let format = dayFormats.get(lang);
  if (format === undefined) {
    format =
      lang === 'vi'
        ? new Intl.DateTimeFormat('vi-VN', {
            timeZone: 'UTC',
            day: '2-digit',
            month: '2-digit',
            year: 'numeric',
          })
        : new Intl.DateTimeFormat('en-GB', {
            timeZone: 'UTC',
            day: 'numeric',
            month: 'short',
            year: 'numeric',
          });
    dayFormats.set(lang, format);
  }
  return format.format(new Date(`${date}T00:00:00Z`));
}

/** A score or percent with its two decimals, as people of the language write them. */
export function formatNumber(value: number): string {
  const lang = language.value;
  // One formatter per language: toLocaleString builds a new one on every call, which a table of
  // thousands of scores cannot afford (the console's 3,300-unit ranking, bench/console-render.ts).
  let format = numberFormats.get(lang);
  if (format === undefined) {
    format = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
      minimumFractionDigits: 0,
      maximumFractionDigits: 2,
    });
    numberFormats.set(lang, format);
  }
  return format.format(value);
}

const numberFormats = new Map<Language, Intl.NumberFormat>();

/** Bytes as MB or GB. */
export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1024
    ? `${formatNumber(Math.round((mb / 1024) * 10) / 10)} GB`
    : `${formatNumber(Math.round(mb))} MB`;
}

/** A template or unit text in the current language (Vietnamese when no English was given). */
export function localText(text: { vi: string; en?: string | undefined }): string {
  return language.value === 'en' && text.en !== undefined ? text.en : text.vi;
}
