import type { BusinessHours } from '@parley/protocol';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * Whether `now` falls inside the site's opening hours, read in the site's own time zone (so
 * daylight-saving changes follow the zone's rules). No hours: always open. An unknown zone
 * counts as open rather than hiding the team.
 */
export function withinBusinessHours(hours: BusinessHours | null, now: number): boolean {
  if (!hours) return true;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: hours.timezone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(now));
  } catch {
    return true;
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAYS.indexOf(part('weekday'));
  const time = `${part('hour')}:${part('minute')}`;
  const previousDay = (day + 6) % 7;
  return hours.days.some((entry) =>
    entry.open <= entry.close
      ? entry.day === day && time >= entry.open && time < entry.close
      : // Overnight (22:00–02:00): from `open` on its own day until `close` the next morning.
        (entry.day === day && time >= entry.open) || (entry.day === previousDay && time < entry.close),
  );
}
