import { describe, expect, it } from 'vitest';
import type { Device, Product } from '../api/clinic';
import {
  deviceName,
  deviceRange,
  expiryText,
  findProduct,
  groupByKind,
  lotLabel,
  lotStatus,
  orderLots,
  productsOfKind,
} from './catalogue';

const TODAY = '2026-11-25';

function product(name: string, kind: Product['kind'], archived = false): Product {
  return { id: name, name, kind, manufacturer: '', needle_count: null, archived, lots: [] };
}

describe('lots and their expiry', () => {
  it('marks expired lots and lots expiring within 30 days', () => {
    expect(lotStatus('2026-11-24', TODAY)).toBe('expired');
    expect(lotStatus('2026-11-25', TODAY)).toBe('soon');
    expect(lotStatus('2026-12-25', TODAY)).toBe('soon');
    expect(lotStatus('2026-12-26', TODAY)).toBe('ok');
    expect(lotStatus(null, TODAY)).toBe('no-expiry');
  });

  it('says when a lot expires, or expired', () => {
    expect(expiryText('2027-12-30', TODAY, 'en-GB')).toBe('exp. 30 Dec 2027');
    expect(expiryText('2026-10-26', TODAY, 'en-GB')).toBe('expired 26 Oct 2026');
    expect(lotLabel({ lot_number: 'C25-041', expires_on: null }, TODAY)).toBe('C25-041 · no expiry date');
  });

  it('offers usable lots first, soonest expiry first', () => {
    const lots = [
      { lot_number: 'B', expires_on: '2027-12-30' },
      { lot_number: 'OLD', expires_on: '2026-10-26' },
      { lot_number: 'NONE', expires_on: null },
      { lot_number: 'A', expires_on: '2027-01-24' },
    ];
    expect(orderLots(lots, TODAY).map((l) => l.lot_number)).toEqual(['A', 'B', 'NONE', 'OLD']);
  });
});

describe('products', () => {
  const products = [
    product('Peptide serum', 'serum'),
    product('Nano 36-pin', 'cartridge'),
    product('Hyaluronic acid', 'serum'),
    product('Old serum', 'serum', true),
    product('Lidocaine', 'anaesthetic'),
  ];

  it('lists active products of some kinds by name', () => {
    expect(productsOfKind(products, ['serum']).map((p) => p.name)).toEqual(['Hyaluronic acid', 'Peptide serum']);
  });

  it('groups the catalogue by kind in a fixed order', () => {
    expect(groupByKind(products).map((g) => [g.kind, g.products.length])).toEqual([
      ['cartridge', 1],
      ['serum', 2],
      ['anaesthetic', 1],
    ]);
  });

  it('finds a product by name ignoring case, preferring the expected kind', () => {
    const twins = [product('Calm', 'aftercare'), product('Calm', 'serum')];
    expect(findProduct(twins, ' calm ', ['serum'])?.kind).toBe('serum');
    expect(findProduct(twins, 'CALM', ['cartridge'])?.kind).toBe('aftercare');
    expect(findProduct(twins, 'nothing', ['serum'])).toBeNull();
    expect(findProduct(twins, '  ', ['serum'])).toBeNull();
  });
});

describe('devices', () => {
  const pen: Device = {
    id: 'd',
    model: 'Auriga MN-2 pen',
    serial: 'AMN2-204117',
    min_depth_mm: 0.25,
    max_depth: 2.5,
    step_mm: 0.25,
    evaluated_up_to: 2,
    archived: false,
  };

  it('names a device by model and serial', () => {
    expect(deviceName(pen)).toBe('Auriga MN-2 pen · AMN2-204117');
    expect(deviceName({ model: 'Pen', serial: '' })).toBe('Pen');
  });

  it('describes its range, step and evaluated limit', () => {
    expect(deviceRange(pen)).toBe('0.25–2.5 mm in 0.25 mm steps; not evaluated above 2 mm');
    expect(deviceRange({ ...pen, evaluated_up_to: null, step_mm: null })).toBe('0.25–2.5 mm');
  });
});
