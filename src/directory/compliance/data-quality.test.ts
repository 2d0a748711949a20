import { describe, expect, it } from 'vitest';
import { dataQualityProblems } from './data-quality.ts';

const complete = {
  kind: 'customer' as const,
  companyName: 'Acme Textiles',
  phone: '+84912345678',
  country: 'VN',
  city: 'Da Nang',
  postalCode: '550000',
  website: 'https://acme.vn',
  since: '2024-01-01',
  total: '1200.00',
  ordersCount: 3,
};

describe('dataQualityProblems', () => {
  it('finds nothing on a complete record', () => {
    expect(dataQualityProblems(complete)).toEqual([]);
  });

  it('lists every missing item of the checklist, in its order', () => {
    const fields = dataQualityProblems({
      ...complete,
      companyName: null,
      phone: null,
      country: null,
      city: null,
      postalCode: null,
      website: null,
      since: null,
    }).map((problem) => problem.field);
    expect(fields).toEqual([
      'companyName',
      'phone',
      'country',
      'city',
      'postalCode',
      'website',
      'customerSince',
    ]);
  });

  it('names the since date and the total by kind', () => {
    const supplier = { ...complete, kind: 'supplier' as const, since: null, total: '0.00' };
    expect(dataQualityProblems(supplier).map((problem) => problem.field)).toEqual([
      'supplierSince',
      'totalPurchases',
    ]);
  });

  it('calls a company name without two letters in a row unrecognizable', () => {
    expect(dataQualityProblems({ ...complete, companyName: 'X1' })).toEqual([
      { field: 'companyName', problem: 'Company name "X1" is not recognizable.' },
    ]);
  });
});
