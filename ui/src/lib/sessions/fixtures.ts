// Sample records for the session tests: a stored session (unsigned, and
// signed awaiting a co-signature), a plan, a device, shaped as the Rust side
// sends them. Imported by tests only.
import type { Device, Product } from '../api/clinic';
import type { TreatmentPlan } from '../api/records';
import type { Signature, TreatmentSession } from '../api/sessions';

export const PEN: Device = {
  id: 'device-1',
  model: 'Auriga MN-2 pen',
  serial: 'AMN2-204117',
  min_depth_mm: 0.25,
  max_depth: 2.5,
  step_mm: 0.25,
  evaluated_up_to: null,
  archived: false,
};

export const PLAN: TreatmentPlan = {
  id: 'plan-1',
  client_id: 'client-1',
  created_on: '2026-05-01',
  goals: 'Smoother cheeks',
  concerns: 'Rolling acne scars',
  skin_assessment: 'Fitzpatrick III, Glogau II',
  zones: [
    { zone: 'cheeks', target_depth: 1.5 },
    { zone: 'chin', target_depth: 1 },
  ],
  sessions_planned: 6,
  interval_days: 42,
  closed: false,
  sessions_done: 2,
};

function lot(product: string, kind: 'cartridge' | 'serum' | 'anaesthetic' | 'aftercare', lotNumber: string) {
  return {
    lot_id: `lot-${lotNumber}`,
    product_id: `product-${product}`,
    product,
    kind,
    lot_number: lotNumber,
    expires_on: '2027-12-30',
  };
}

export const SESSION: TreatmentSession = {
  id: 'session-1',
  client_id: 'client-1',
  practitioner_id: 'practitioner-1',
  practitioner: 'Dr. Amara Okafor',
  started_at: '2026-05-05T09:00:00Z',
  local_date: '2026-05-05',
  plan_id: 'plan-1',
  course_position: 1,
  course_length: 6,
  device: PEN,
  cartridge: lot('Nano 36-pin cartridge', 'cartridge', 'C25-041'),
  anaesthetic: {
    product: 'Lidocaine 5% cream',
    lot: lot('Lidocaine 5% cream', 'anaesthetic', 'LD-7781'),
    applied_at: '08:20',
    removed_at: '08:55',
  },
  zones: [
    { zone: 'cheeks', zone_name: 'Cheeks', depth: 1, passes: 4, technique: 'crosshatch' },
    { zone: 'chin', zone_name: 'Chin', depth: 0.75, passes: 3, technique: '' },
  ],
  products: [
    { lot: lot('Hyaluronic acid 1.5% serum', 'serum', 'HA-5521'), phase: 'during' },
    { lot: lot('Mineral SPF 50', 'aftercare', 'SPF-2290'), phase: 'after' },
  ],
  endpoint: 'pinpoint_bleeding',
  pain: 6,
  immediate_reaction: 'Even erythema',
  adverse_events: '',
  aftercare: 'Keep the skin clean.',
  notes: 'First session.',
  warnings: [{ rule: 'interval_short', subject: '', message: 'only 20 days …', reason: 'client travelling' }],
  signed_at: null,
  signed_by: null,
  signature: null,
  cosign_required: false,
  cosignature: null,
  amendments: [],
  created_at: '2026-05-05T10:10:00Z',
  updated_at: '2026-05-05T10:10:00Z',
};

/** Dr Okafor's signature of SESSION, from her own account. */
export const SIGNATURE: Signature = {
  account_id: 'account-okafor',
  account_name: 'Dr. Amara Okafor',
  at: '2026-05-05T11:00:00Z',
  content_hash: '3f9a0c1b7d2e5a6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7',
};

/** SESSION signed by Dr Okafor, in a clinic that asks a co-signature of her sessions. */
export const SIGNED_SESSION: TreatmentSession = {
  ...SESSION,
  signed_at: SIGNATURE.at,
  signed_by: 'practitioner-1',
  signature: SIGNATURE,
  cosign_required: true,
};

export const PRODUCTS: Product[] = [
  {
    id: 'product-cart',
    name: 'Nano 36-pin cartridge',
    kind: 'cartridge',
    manufacturer: '',
    needle_count: 36,
    archived: false,
    lots: [{ id: 'l1', product_id: 'product-cart', lot_number: 'C25-041', expires_on: '2027-12-30' }],
  },
  {
    id: 'product-ha',
    name: 'Hyaluronic acid 1.5% serum',
    kind: 'serum',
    manufacturer: '',
    needle_count: null,
    archived: false,
    lots: [{ id: 'l2', product_id: 'product-ha', lot_number: 'HA-5521', expires_on: '2027-09-21' }],
  },
];
