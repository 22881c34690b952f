import { describe, expect, it } from 'vitest';
import { emptyPlanForm, planInput, planRowKey, planZoneRow } from './plan';

const TODAY = '2026-11-25';

describe('plan form', () => {
  it('starts today with six sessions at the usual interval', () => {
    expect(emptyPlanForm(TODAY, 42)).toMatchObject({ created_on: TODAY, sessions_planned: '6', interval_days: '42' });
  });

  it('sends zones with target depths in mm and trimmed text', () => {
    const form = {
      ...emptyPlanForm(TODAY, 42),
      goals: ' smoother skin ',
      zones: [planZoneRow('cheeks', '1,5'), planZoneRow('forehead', '0.5'), planZoneRow()],
    };
    expect(planInput(form, TODAY)).toEqual({
      input: {
        created_on: TODAY,
        goals: 'smoother skin',
        concerns: '',
        skin_assessment: '',
        zones: [
          { zone: 'cheeks', target_depth: 1.5 },
          { zone: 'forehead', target_depth: 0.5 },
        ],
        sessions_planned: 6,
        interval_days: 42,
      },
      errors: {},
    });
  });

  it('reports each problem', () => {
    const twice = planZoneRow('cheeks', '1');
    const noDepth = planZoneRow('chin', '');
    const form = {
      ...emptyPlanForm('2026-12-01', 42),
      sessions_planned: '0',
      interval_days: 'six',
      zones: [planZoneRow('cheeks', '1'), twice, noDepth],
    };
    expect(planInput(form, TODAY).errors).toEqual({
      created_on: 'plan date 2026-12-01 is in the future',
      sessions_planned: 'plan a course of 1 to 20 sessions',
      interval_days: 'use an interval of 1 to 365 days',
      [planRowKey(twice)]: 'this zone is already in the plan',
      [planRowKey(noDepth)]: 'enter the target depth in mm',
    });
  });

  it('asks for a zone', () => {
    expect(planInput(emptyPlanForm(TODAY, 42), TODAY).errors).toEqual({ zones: 'name at least one zone' });
  });
});
