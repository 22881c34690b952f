// How a client's facts read on screen: short, and the same on every screen.
import type { Client } from '../api/clients';
import { ageOn, formatDate } from '../dates/calendar';

/** "42 years · 12 Apr 1983", or null when no date of birth is recorded. */
export function birthSummary(dateOfBirth: string | null, today: string, locale?: string): string | null {
  if (dateOfBirth === null) return null;
  const age = ageOn(dateOfBirth, today);
  const date = formatDate(dateOfBirth, locale);
  if (age === null) return date;
  return `${age} ${age === 1 ? 'year' : 'years'} · ${date}`;
}

/** Phone and email joined, or null when neither is recorded. */
export function contactSummary(client: Pick<Client, 'phone' | 'email'>): string | null {
  const parts = [client.phone, client.email].filter((part): part is string => part !== null && part !== '');
  return parts.length === 0 ? null : parts.join(' · ');
}

/** "3 clients", "1 client", "2 matches". */
export function countSummary(count: number, searching: boolean): string {
  if (searching) return `${count} ${count === 1 ? 'match' : 'matches'}`;
  return `${count} ${count === 1 ? 'client' : 'clients'}`;
}
