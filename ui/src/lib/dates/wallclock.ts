// Wall-clock times as the practitioner types them (a local date and "HH:MM")
// and the RFC 3339 instants the Rust side stores, which carry the local UTC
// offset of that moment ("2026-11-25T10:30:00+01:00").
import { localIsoDate, parseIsoDate } from './calendar';

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

export type WallTime = { hour: number; minute: number; second: number };

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Parses "HH:MM" or "HH:MM:SS" (24-hour); null for anything else. */
export function parseTime(text: string): WallTime | null {
  const match = TIME.exec(text.trim());
  if (!match) return null;
  return { hour: Number(match[1]), minute: Number(match[2]), second: Number(match[3] ?? 0) };
}

/** A UTC offset in minutes east of Greenwich as RFC 3339 writes it: "+01:00", "-05:30", "+00:00". */
export function offsetText(minutesEast: number): string {
  const sign = minutesEast < 0 ? '-' : '+';
  const total = Math.abs(Math.round(minutesEast));
  return `${sign}${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

/**
 * "2026-11-25T10:30:00+01:00" for a local date, a time and the offset that
 * applies then; null when the date or the time cannot be read.
 */
export function withOffset(date: string, time: string, minutesEast: number): string | null {
  const day = parseIsoDate(date);
  const clock = parseTime(time);
  if (!day || !clock) return null;
  return `${date}T${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}${offsetText(minutesEast)}`;
}

/** The local time zone's offset (minutes east) at a local date and time, e.g. 60 in Paris in winter. */
export function localOffsetMinutes(date: string, time: string): number | null {
  const day = parseIsoDate(date);
  const clock = parseTime(time);
  if (!day || !clock) return null;
  const instant = new Date(day.year, day.month - 1, day.day, clock.hour, clock.minute, clock.second);
  return -instant.getTimezoneOffset();
}

/** A local date and time as an RFC 3339 instant with this computer's offset at that moment. */
export function localInstant(date: string, time: string): string | null {
  const offset = localOffsetMinutes(date, time);
  return offset === null ? null : withOffset(date, time, offset);
}

export type WallClock = { date: string; time: string };

/**
 * The local date and "HH:MM" of an instant (RFC 3339 text or a Date), plus
 * "HH:MM:SS" when the seconds are not zero (so an unchanged time round-trips exactly).
 */
export function localWallClock(instant: string | Date): WallClock | null {
  const value = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(value.getTime())) return null;
  const seconds = value.getSeconds();
  const time = `${pad(value.getHours())}:${pad(value.getMinutes())}${seconds === 0 ? '' : `:${pad(seconds)}`}`;
  return { date: localIsoDate(value), time };
}

/** Now, to the minute, as the date and time inputs of a form hold it. */
export function nowWallClock(now: Date = new Date()): WallClock {
  return { date: localIsoDate(now), time: `${pad(now.getHours())}:${pad(now.getMinutes())}` };
}
