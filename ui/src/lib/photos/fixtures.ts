// Photos and sessions for the photo and comparison tests.
import type { Photo } from '../api/photos';
import type { TreatmentSession } from '../api/sessions';

export function photo(values: Partial<Photo> & Pick<Photo, 'id'>): Photo {
  return {
    client_id: 'c1',
    session_id: null,
    follow_up_id: null,
    sha256: `sha-${values.id}`,
    format: 'jpeg',
    original_name: `${values.id}.jpg`,
    bytes: 1000,
    width: 800,
    height: 600,
    orientation: 1,
    captured_at: null,
    imported_at: '2026-11-25T10:00:00Z',
    kind: 'before',
    zone: 'cheeks',
    pose: 'front',
    custom_pose: null,
    alignment: null,
    conditions: [],
    portrait: false,
    ...values,
  };
}

type SessionFacts = Pick<TreatmentSession, 'id' | 'local_date' | 'course_position' | 'course_length' | 'zones'>;

export function session(values: Partial<SessionFacts> & Pick<SessionFacts, 'id' | 'local_date'>): SessionFacts {
  return { course_position: null, course_length: null, zones: [], ...values };
}

export const ZONES = [
  { key: 'forehead', name: 'Forehead' },
  { key: 'cheeks', name: 'Cheeks' },
  { key: 'neck', name: 'Neck' },
];
