import { describe, expect, it } from 'vitest';
import type { Consent } from '../api/records';
import {
  clientExportSummary,
  deidentifiedSummary,
  exportFraction,
  exportPercent,
  exportProgressText,
  marketingConsentNote,
  missingPhotosNote,
  pdfSummary,
} from './summary';

const EXPORT = { folder: '/d/Ana Sousa 2026-11-25', sessions: 6, zones: 14, photos: 12, photos_missing: 0, report_pages: 8, bytes: 24_000_000 };

function consent(kind: Consent['kind'], given_on: string, revoked_on: string | null = null): Consent {
  return { id: `${kind}-${given_on}`, client_id: 'c1', kind, template_version: 'v1', given_on, signature: 'M 0 0', revoked_on, revoke_reason: null };
}

describe('client export progress', () => {
  it('reads progress as a share, a percentage and in words', () => {
    expect(exportFraction(null)).toBe(0);
    expect(exportFraction({ done_bytes: 12_000_000, total_bytes: 48_000_000 })).toBe(0.25);
    expect(exportFraction({ done_bytes: 5, total_bytes: 0 })).toBe(0);
    expect(exportFraction({ done_bytes: null, total_bytes: null })).toBe(0);
    expect(exportFraction({ done_bytes: 60, total_bytes: 50 })).toBe(1);
    expect(exportPercent({ done_bytes: 999, total_bytes: 1000 })).toBe(99);
    expect(exportPercent({ done_bytes: 1000, total_bytes: 1000 })).toBe(100);
    expect(exportProgressText(null)).toBe('Starting…');
    expect(exportProgressText({ done_bytes: 0, total_bytes: null })).toBe('Starting…');
    expect(exportProgressText({ done_bytes: 12_000_000, total_bytes: 48_000_000 })).toBe('12 MB of 48 MB · 25 %');
  });
});

describe('what was written', () => {
  it('counts the pages, photos and size of a PDF', () => {
    expect(pdfSummary('Progress report', { path: '/r.pdf', pages: 8, photos: 12, bytes: 1_400_000 })).toBe(
      'Progress report saved — 8 pages, 12 photos, 1.4 MB',
    );
    expect(pdfSummary('Treatment note', { path: '/n.pdf', pages: 1, photos: 0, bytes: 48_200 })).toBe('Treatment note saved — 1 page, 48 KB');
    expect(pdfSummary('Aftercare sheet', { path: '/a.pdf', pages: 2, photos: 1, bytes: 900 })).toBe(
      'Aftercare sheet saved — 2 pages, 1 photo, 900 bytes',
    );
  });

  it('sums up a whole-record export, and warns of photos it could not include', () => {
    expect(clientExportSummary(EXPORT)).toBe('Whole record exported — 6 sessions, 14 treated zones, 12 photos, a report of 8 pages, 24 MB');
    expect(clientExportSummary({ ...EXPORT, sessions: 1, zones: 1, photos: 0, bytes: null })).toBe(
      'Whole record exported — 1 session, 1 treated zone, 0 photos, a report of 8 pages',
    );
    expect(missingPhotosNote(EXPORT)).toBeNull();
    expect(missingPhotosNote({ ...EXPORT, photos_missing: 1 })).toBe('1 photo is not in the export: its original is missing from the photo store.');
    expect(missingPhotosNote({ ...EXPORT, photos_missing: 3 })).toBe('3 photos are not in the export: their originals are missing from the photo store.');
  });

  it('counts de-identified photos', () => {
    expect(deidentifiedSummary({ folder: '/d', files: ['01.jpg', '02.jpg'], bytes: 3_100_000 })).toBe('2 de-identified photos saved — 3.1 MB');
    expect(deidentifiedSummary({ folder: '/d', files: ['01.jpg'], bytes: null })).toBe('1 de-identified photo saved');
  });
});

describe('marketing-photo consent', () => {
  const TODAY = '2026-11-25';

  it('says nothing when the consent is in force', () => {
    expect(marketingConsentNote('Ana', [consent('marketing_photos', '2026-01-10')], TODAY)).toBeNull();
  });

  it('says up front when it was never given, or only other consents were', () => {
    const note = 'Ana has not given marketing-photo consent, so de-identified photos cannot be exported. Record it on the Consents tab first.';
    expect(marketingConsentNote('Ana', [], TODAY)).toBe(note);
    expect(marketingConsentNote('Ana', [consent('treatment', '2026-01-10'), consent('clinical_photos', '2026-01-10')], TODAY)).toBe(note);
  });

  it('says when it was revoked', () => {
    const note = marketingConsentNote('Ana', [consent('marketing_photos', '2026-01-10', '2026-06-01')], TODAY);
    expect(note).toMatch(/^Ana revoked marketing-photo consent on .*2026, so de-identified photos cannot be exported\.$/);
  });
});
