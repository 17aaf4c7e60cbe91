import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '@parley/protocol';
import { withinBusinessHours } from './business-hours.ts';

/** Fixed instants: 2024-01-15 is a Monday (Berlin UTC+1, New York UTC−5); 2024-07-15 too (Berlin UTC+2). */
const utc = (iso: string) => Date.parse(`${iso}Z`);
const weekdays = (timezone: string, open: string, close: string): BusinessHours => ({
  timezone,
  days: [1, 2, 3, 4, 5].map((day) => ({ day, open, close })),
});

describe('withinBusinessHours', () => {
  it('is always open without hours', () => {
    expect(withinBusinessHours(null, utc('2024-01-13T03:00:00'))).toBe(true);
  });

  it('reads the time in the site’s zone: open from `open`, closed from `close`', () => {
    const berlin = weekdays('Europe/Berlin', '09:00', '17:00');
    expect(withinBusinessHours(berlin, utc('2024-01-15T07:59:00'))).toBe(false); // 08:59 in Berlin
    expect(withinBusinessHours(berlin, utc('2024-01-15T08:00:00'))).toBe(true); // 09:00
    expect(withinBusinessHours(berlin, utc('2024-01-15T15:59:00'))).toBe(true); // 16:59
    expect(withinBusinessHours(berlin, utc('2024-01-15T16:00:00'))).toBe(false); // 17:00
    const newYork = weekdays('America/New_York', '09:00', '17:00');
    expect(withinBusinessHours(newYork, utc('2024-01-15T08:30:00'))).toBe(false); // 03:30 in New York
    expect(withinBusinessHours(newYork, utc('2024-01-15T14:00:00'))).toBe(true); // 09:00
  });

  it('follows the zone’s daylight-saving rules', () => {
    const berlin = weekdays('Europe/Berlin', '09:00', '17:00');
    expect(withinBusinessHours(berlin, utc('2024-07-15T06:30:00'))).toBe(false); // 08:30 summer time
    expect(withinBusinessHours(berlin, utc('2024-07-15T07:30:00'))).toBe(true); // 09:30
    expect(withinBusinessHours(berlin, utc('2024-07-15T15:30:00'))).toBe(false); // 17:30
  });

  it('takes the weekday in the site’s zone, not in UTC', () => {
    const mondayMorning: BusinessHours = { timezone: 'Europe/Berlin', days: [{ day: 1, open: '00:00', close: '01:00' }] };
    // Sunday 23:30 UTC is Monday 00:30 in Berlin.
    expect(withinBusinessHours(mondayMorning, utc('2024-01-14T23:30:00'))).toBe(true);
    expect(withinBusinessHours(mondayMorning, utc('2024-01-15T23:30:00'))).toBe(false); // Tuesday 00:30
    const tokyoSunday: BusinessHours = { timezone: 'Asia/Tokyo', days: [{ day: 0, open: '08:00', close: '10:00' }] };
    // Saturday 23:30 UTC is Sunday 08:30 in Tokyo.
    expect(withinBusinessHours(tokyoSunday, utc('2024-01-13T23:30:00'))).toBe(true);
  });

  it('a day without an entry is closed; a day may have several ranges', () => {
    const split: BusinessHours = {
      timezone: 'UTC',
      days: [{ day: 1, open: '09:00', close: '12:00' }, { day: 1, open: '13:00', close: '17:00' }],
    };
    expect(withinBusinessHours(split, utc('2024-01-15T11:59:00'))).toBe(true);
    expect(withinBusinessHours(split, utc('2024-01-15T12:30:00'))).toBe(false);
    expect(withinBusinessHours(split, utc('2024-01-15T13:00:00'))).toBe(true);
    expect(withinBusinessHours(split, utc('2024-01-16T10:00:00'))).toBe(false); // Tuesday: no entry
    expect(withinBusinessHours(weekdays('UTC', '09:00', '17:00'), utc('2024-01-13T10:00:00'))).toBe(false); // Saturday
    expect(withinBusinessHours({ timezone: 'UTC', days: [] }, utc('2024-01-15T10:00:00'))).toBe(false);
  });

  it('midnight is 00:00, not 24:00', () => {
    const fromMidnight: BusinessHours = { timezone: 'Europe/Berlin', days: [{ day: 2, open: '00:00', close: '00:30' }] };
    expect(withinBusinessHours(fromMidnight, utc('2024-01-15T23:10:00'))).toBe(true); // Tuesday 00:10 in Berlin
  });

  it('an overnight range runs from its day’s evening into the next morning', () => {
    const nights: BusinessHours = { timezone: 'UTC', days: [{ day: 5, open: '22:00', close: '02:00' }] };
    expect(withinBusinessHours(nights, utc('2024-01-19T21:59:00'))).toBe(false); // Friday 21:59
    expect(withinBusinessHours(nights, utc('2024-01-19T22:00:00'))).toBe(true); // Friday 22:00
    expect(withinBusinessHours(nights, utc('2024-01-19T23:59:00'))).toBe(true);
    expect(withinBusinessHours(nights, utc('2024-01-20T01:30:00'))).toBe(true); // Saturday 01:30, still Friday's night
    expect(withinBusinessHours(nights, utc('2024-01-20T02:00:00'))).toBe(false);
    expect(withinBusinessHours(nights, utc('2024-01-20T22:30:00'))).toBe(false); // Saturday night: no entry
    expect(withinBusinessHours(nights, utc('2024-01-19T01:30:00'))).toBe(false); // Friday 01:30: Thursday had no night
    // Saturday's night runs into Sunday: the week wraps.
    const saturdayNight: BusinessHours = { timezone: 'UTC', days: [{ day: 6, open: '20:00', close: '03:00' }] };
    expect(withinBusinessHours(saturdayNight, utc('2024-01-21T02:00:00'))).toBe(true); // Sunday 02:00
    expect(withinBusinessHours(saturdayNight, utc('2024-01-22T02:00:00'))).toBe(false); // Monday 02:00
  });

  it('an unknown time zone counts as open rather than hiding the team', () => {
    const nowhere: BusinessHours = { timezone: 'Mars/Olympus_Mons', days: [] };
    expect(withinBusinessHours(nowhere, utc('2024-01-15T10:00:00'))).toBe(true);
  });
});
