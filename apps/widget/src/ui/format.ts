let timeFormat: Intl.DateTimeFormat | undefined;
let dateTimeFormat: Intl.DateTimeFormat | undefined;

/** "14:05" for today, "Mar 3, 14:05" before, in the browser's locale. */
export function formatTime(ms: number, now = Date.now()): string {
  const date = new Date(ms);
  if (date.toDateString() === new Date(now).toDateString()) {
    timeFormat ??= new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
    return timeFormat.format(date);
  }
  dateTimeFormat ??= new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  return dateTimeFormat.format(date);
}
