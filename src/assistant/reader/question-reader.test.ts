import { describe, expect, it } from 'vitest';
import { createPartnerInput, partnerChangesInput } from '../../directory/partners/partner-schema.ts';
import { searchInput } from '../../directory/search/search.ts';
import { type Reading, readQuestion, type SearchArgs } from './question-reader.ts';

type Search = Extract<Reading, { intent: 'search' }>;
/** A search reading with no typo read, nothing unread and nothing ambiguous. */
const NOTHING_ELSE = { corrections: [], unread: [], ambiguous: [] };

describe('readQuestion: whole searches', () => {
  it.each<[string, SearchArgs]>([
    [
      'which suppliers are inactive in Vietnam',
      { kind: 'supplier', activity: 'inactive', countries: ['VN'] },
    ],
    [
      'top 5 customers by total sales in Germany',
      { kind: 'customer', countries: ['DE'], sortBy: 'total', sortDir: 'desc', limit: 5 },
    ],
    ['suppliers in viet nam over 50k', { kind: 'supplier', countries: ['VN'], minTotal: 50_000 }],
    ['customers in italy', { kind: 'customer', countries: ['IT'] }],
    ['US customers', { kind: 'customer', countries: ['US'] }],
    ['customers in the US', { kind: 'customer', countries: ['US'] }],
    ['customers in the UK', { kind: 'customer', countries: ['GB'] }],
    ['customers in usa and uk', { kind: 'customer', countries: ['US', 'GB'] }],
    ['clients in DE, FR or IT', { kind: 'customer', countries: ['DE', 'FR', 'IT'] }],
    ['customers in de, fr or it', { kind: 'customer', countries: ['DE', 'FR', 'IT'] }],
    ['customers in Vietnam and Thailand', { kind: 'customer', countries: ['VN', 'TH'] }],
    ['suppliers in Vietnam, Thailand and Cambodia', { kind: 'supplier', countries: ['VN', 'TH', 'KH'] }],
    ['dormant buyers in South Korea', { kind: 'customer', activity: 'inactive', countries: ['KR'] }],
    ['partners in Hong Kong', { countries: ['HK'] }],
    ['customers in the Netherlands', { kind: 'customer', countries: ['NL'] }],
    ["customers in Côte d'Ivoire", { kind: 'customer', countries: ['CI'] }],
    ['manufacturers in China', { kind: 'supplier', countries: ['CN'] }],
    ['suppliers in vn', { kind: 'supplier', countries: ['VN'] }],
    ['suppliers from DEU', { kind: 'supplier', countries: ['DE'] }],
    ['customers in NO', { kind: 'customer', countries: ['NO'] }],
    ['Vietnamese suppliers', { kind: 'supplier', countries: ['VN'] }],
    ['customers in :flag-vn:', { kind: 'customer', countries: ['VN'] }],
    ['🇩🇪 suppliers', { kind: 'supplier', countries: ['DE'] }],
    ['customers and suppliers in Japan', { countries: ['JP'] }],
    ['list all records', {}],
    ["which vendors haven't ordered in the last 30 days?", { kind: 'supplier', activity: 'inactive' }],
    ['customers with no orders', { kind: 'customer', activity: 'inactive' }],
    ['customers with NO orders', { kind: 'customer', activity: 'inactive' }],
    ['sellers without orders', { kind: 'supplier', activity: 'inactive' }],
    ['buyers from Mexico ordering', { kind: 'customer', activity: 'active', countries: ['MX'] }],
    [
      'customers that recently ordered',
      { kind: 'customer', activity: 'active', sortBy: 'lastOrderDate', sortDir: 'desc' },
    ],
    ['recently added suppliers', { kind: 'supplier', activity: 'new' }],
    ['new customers in the last 30 days', { kind: 'customer', activity: 'new' }],
    ['disabled suppliers', { kind: 'supplier', status: 'disabled' }],
    ['deactivated accounts', { kind: 'customer', status: 'disabled' }],
    ['suppliers that are not disabled', { kind: 'supplier', status: 'enabled' }],
    ['customers above $10,000', { kind: 'customer', minTotal: 10_000 }],
    ['customers with total sales more than 10000', { kind: 'customer', minTotal: 10_000 }],
    ['customers at least 1.5m', { kind: 'customer', minTotal: 1_500_000 }],
    ['suppliers under 500', { kind: 'supplier', maxTotal: 500 }],
    ['customers with total sales less than €2k', { kind: 'customer', maxTotal: 2000 }],
    ['suppliers below 1,000', { kind: 'supplier', maxTotal: 1000 }],
    [
      'suppliers with total purchases between 1k and 5k',
      { kind: 'supplier', minTotal: 1000, maxTotal: 5000 },
    ],
    ['customers from 1000 to 5000', { kind: 'customer', minTotal: 1000, maxTotal: 5000 }],
    ['customers over 50k USD', { kind: 'customer', minTotal: 50_000 }],
    ['customers &gt; 50k', { kind: 'customer', minTotal: 50_000 }],
    ['customers 50k+', { kind: 'customer', minTotal: 50_000 }],
    ['customers 1k-5k', { kind: 'customer', minTotal: 1000, maxTotal: 5000 }],
    ['top 10 suppliers', { kind: 'supplier', sortBy: 'total', sortDir: 'desc', limit: 10 }],
    ['top 5', { sortBy: 'total', sortDir: 'desc', limit: 5 }],
    ['top 500 customers', { kind: 'customer', sortBy: 'total', sortDir: 'desc', limit: 200 }],
    ['largest accounts', { kind: 'customer', sortBy: 'total', sortDir: 'desc' }],
    ['3 biggest customers', { kind: 'customer', sortBy: 'total', sortDir: 'desc', limit: 3 }],
    ['customers with the highest total', { kind: 'customer', sortBy: 'total', sortDir: 'desc' }],
    ['customers with the most orders', { kind: 'customer', sortBy: 'orders', sortDir: 'desc' }],
    ['top 5 suppliers by most orders', { kind: 'supplier', sortBy: 'orders', sortDir: 'desc', limit: 5 }],
    ['customers by latest orders', { kind: 'customer', sortBy: 'lastOrderDate', sortDir: 'desc' }],
    ['customers with the most recent order', { kind: 'customer', sortBy: 'lastOrderDate', sortDir: 'desc' }],
    ['newest customers', { kind: 'customer', sortBy: 'since', sortDir: 'desc' }],
    ['most recent customers', { kind: 'customer', sortBy: 'since', sortDir: 'desc' }],
    ['oldest suppliers', { kind: 'supplier', sortBy: 'since', sortDir: 'asc' }],
    ['customers alphabetical', { kind: 'customer', sortBy: 'name', sortDir: 'asc' }],
    ['suppliers by name', { kind: 'supplier', sortBy: 'name', sortDir: 'asc' }],
    ['suppliers by city', { kind: 'supplier', sortBy: 'city', sortDir: 'asc' }],
    ['customers by company', { kind: 'customer', sortBy: 'company', sortDir: 'asc' }],
    ['customers sorted by country descending', { kind: 'customer', sortBy: 'country', sortDir: 'desc' }],
    [
      'show me 10 inactive suppliers in Vietnam',
      { kind: 'supplier', activity: 'inactive', countries: ['VN'], limit: 10 },
    ],
    [
      'inactive customers in Germany with total over 50,000 top 5 by total',
      {
        kind: 'customer',
        activity: 'inactive',
        countries: ['DE'],
        minTotal: 50_000,
        sortBy: 'total',
        sortDir: 'desc',
        limit: 5,
      },
    ],
  ])('%s', (question, args) => {
    const reading = readQuestion(question);
    expect(reading).toMatchObject({ intent: 'search', complete: true });
    expect((reading as Search).args).toEqual(args);
    expect(searchInput.safeParse((reading as Search).args).success).toBe(true);
  });
});

describe('readQuestion: counts', () => {
  it.each<[string, SearchArgs]>([
    ['number of suppliers in Japan', { kind: 'supplier', countries: ['JP'] }],
    ['count disabled vendors', { kind: 'supplier', status: 'disabled' }],
    ['how many suppliers are disabled?', { kind: 'supplier', status: 'disabled' }],
    ['how many customers over 1m in the US', { kind: 'customer', countries: ['US'], minTotal: 1_000_000 }],
  ])('%s', (question, args) => {
    expect(readQuestion(question)).toEqual({
      intent: 'count',
      args,
      understood: expect.any(Array),
      complete: true,
      corrections: [],
      unread: [],
      ambiguous: [],
    });
  });
});

describe('readQuestion: calendar periods (issue 12: "this month" is the calendar month, not the 30-day window)', () => {
  it.each<[string, Reading['intent'], SearchArgs, Record<string, unknown>]>([
    [
      'customers who ordered this month',
      'search',
      { kind: 'customer' },
      { date: 'lastOrderDate', calendar: 'month' },
    ],
    ['customers added this month', 'search', { kind: 'customer' }, { date: 'since', calendar: 'month' }],
    [
      'how many new customers this month',
      'count',
      { kind: 'customer' },
      { date: 'since', calendar: 'month' },
    ],
  ])('%s', (question, intent, args, period) => {
    expect(readQuestion(question)).toMatchObject({ intent, args, period, complete: true });
  });
});

describe('readQuestion: a name', () => {
  it.each<[string, SearchArgs]>([
    ['who is Acme', { query: 'Acme' }],
    ['who is Acme?', { query: 'Acme' }],
    ['find Nguyen', { query: 'Nguyen' }],
    ['look up Müller GmbH', { query: 'Müller GmbH' }],
    ['search for acme textiles', { query: 'acme textiles' }],
    ['show me Saigon Cotton', { query: 'Saigon Cotton' }],
    ['show Acme', { query: 'Acme' }],
    ['contact at Acme', { query: 'Acme' }],
    ['who is the contact at Acme', { query: 'Acme' }],
    ['what is the email of Acme', { query: 'Acme' }],
    ["look up O'Brien & Sons", { query: "O'Brien & Sons" }],
    ['find New Age Textiles', { query: 'New Age Textiles' }],
    ['find Vietnam Airlines', { query: 'Vietnam Airlines' }],
    ['who is Jordan', { query: 'Jordan' }],
    ['find textile suppliers in Vietnam', { kind: 'supplier', query: 'textile', countries: ['VN'] }],
    ['customers named Nguyen', { kind: 'customer', query: 'Nguyen' }],
  ])('%s', (question, args) => {
    const reading = readQuestion(question);
    expect(reading).toMatchObject({ intent: 'search', complete: true });
    expect((reading as Search).args).toEqual(args);
  });

  it('stays a plain search when "show me" is followed only by filters', () => {
    expect(readQuestion('show me inactive suppliers')).toMatchObject({
      intent: 'search',
      args: { kind: 'supplier', activity: 'inactive' },
      complete: true,
    });
  });
});

describe('readQuestion: word codes are not countries', () => {
  it.each<[string, SearchArgs, boolean]>([
    // Lower-case "it" after "in" is the pronoun: no Italy, nothing left over.
    ['suppliers we have in it', { kind: 'supplier' }, true],
    ['which customers are in it?', { kind: 'customer' }, true],
    // Lower-case "us" is never the USA; as an adjective it is not understood (the model decides).
    ['us customers', { kind: 'customer' }, false],
    // Upper-case word codes need "in"/"from" (or "US" before a kind): "IT suppliers" may be tech vendors.
    ['IT suppliers', { kind: 'supplier' }, false],
    ['customers in IT', { kind: 'customer', countries: ['IT'] }, true],
    ['suppliers in ID', { kind: 'supplier', countries: ['ID'] }, true],
    ['suppliers in id', { kind: 'supplier' }, false],
    ['customers in Germany and me', { kind: 'customer', countries: ['DE'] }, true],
    ['customers in can', { kind: 'customer' }, true],
    ['US CUSTOMERS', { kind: 'customer' }, false],
  ])('%s', (question, args, complete) => {
    const reading = readQuestion(question);
    expect(reading).toMatchObject({ intent: 'search', complete });
    expect((reading as Search).args).toEqual(args);
  });
});

describe('readQuestion: incomplete questions', () => {
  it.each<[string, Reading['intent'], string[]]>([
    ['which suppliers smell nice', 'search', ['suppliers']],
    ['suppliers not ordered for 90 days', 'search', ['inactive', 'suppliers']],
    ['suppliers over 50 orders', 'search', ['suppliers']],
    ['customers added', 'search', ['customers']],
    ['Acme', 'unknown', []],
    ['what do we have', 'unknown', []],
    ['is SUP-000123 disabled?', 'get', ['record SUP-000123']],
    ["what's the summary of suppliers in Vietnam", 'summary', ['directory summary']],
    ['disable Acme', 'unknown', ['disable']],
  ])('%s', (question, intent, understood) => {
    expect(readQuestion(question)).toMatchObject({ intent, understood, complete: false });
  });
});

describe('readQuestion: never a confident reading of words it cannot place', () => {
  it.each([
    // "America" is a country alias, "Latin" no city; "New" the activity, "York" nothing.
    'customers in Latin America',
    'customers in New York',
    'suppliers in Europe',
    'customers in January',
    // An amount after "ordered" is about orders, not the record's total.
    'customers that ordered over 50k this month',
    // Inactive has no calendar period.
    'inactive customers this month',
    'list customers, not suppliers',
    'suppliers from Thailand except Bangkok',
    // Leftover words after a filter are no name ("for zippers").
    'who is our best supplier for zippers',
  ])('%s', (question) => {
    expect(readQuestion(question)).toMatchObject({ complete: false });
  });
});

describe('readQuestion: says what it understood', () => {
  it.each<[string, string[]]>([
    ['which suppliers are inactive in Vietnam', ['inactive', 'suppliers', 'in Viet Nam']],
    [
      'inactive suppliers in viet nam over 50k top 5',
      ['inactive', 'suppliers', 'in Viet Nam', 'total over 50,000', 'top 5 by total'],
    ],
    ['how many new customers this month', ['how many', 'customers', 'added this month']],
    ['customers in DE, FR or IT', ['customers', 'in Germany, France or Italy']],
    ['suppliers between 1k and 5k', ['suppliers', 'total between 1,000 and 5,000']],
    ['customers at least 1.5m', ['customers', 'total at least 1,500,000']],
    ['top 500 customers', ['customers', 'top 200 by total (200 at most)']],
    ['who is Acme', ['matching "Acme"']],
  ])('%s', (question, understood) => {
    expect(readQuestion(question).understood).toEqual(understood);
  });
});

describe('readQuestion: one record by code', () => {
  it.each<[string, Reading]>([
    [
      'show SUP-000123',
      {
        intent: 'get',
        code: 'SUP-000123',
        kind: 'supplier',
        understood: ['record SUP-000123'],
        complete: true,
      },
    ],
    [
      'get cus-000001',
      {
        intent: 'get',
        code: 'CUS-000001',
        kind: 'customer',
        understood: ['record CUS-000001'],
        complete: true,
      },
    ],
    [
      'details of SUP-42',
      { intent: 'get', code: 'SUP-42', kind: 'supplier', understood: ['record SUP-42'], complete: true },
    ],
    [
      'who is SUP-000123',
      {
        intent: 'get',
        code: 'SUP-000123',
        kind: 'supplier',
        understood: ['record SUP-000123'],
        complete: true,
      },
    ],
    ['show ACME-VN1', { intent: 'get', code: 'ACME-VN1', understood: ['record ACME-VN1'], complete: true }],
    [
      'details of acme-vn1?',
      { intent: 'get', code: 'ACME-VN1', understood: ['record ACME-VN1'], complete: true },
    ],
    [
      'CUS-000001',
      {
        intent: 'get',
        code: 'CUS-000001',
        kind: 'customer',
        understood: ['record CUS-000001'],
        complete: true,
      },
    ],
  ])('%s', (question, reading) => {
    expect(readQuestion(question)).toEqual(reading);
  });

  it('leaves digits after "find" to the search (a phone number)', () => {
    expect(readQuestion('find 0912345678')).toMatchObject({
      intent: 'search',
      args: { query: '0912345678' },
    });
  });
});

describe('readQuestion: summary and help', () => {
  it.each<[string, Reading['intent']]>([
    ['summary', 'summary'],
    ['overview', 'summary'],
    ['daily digest', 'summary'],
    ['how are we doing', 'summary'],
    ['give me the directory summary please', 'summary'],
    ['help', 'help'],
    ['what can you do?', 'help'],
    ['', 'help'],
    ['<@U123ABC>', 'help'],
  ])('%j', (question, intent) => {
    expect(readQuestion(question)).toMatchObject({ intent, complete: true });
  });
});

describe('readQuestion: Slack markup', () => {
  it.each<[string, Reading]>([
    [
      '<@U123ABC> which suppliers are inactive in Vietnam?',
      {
        intent: 'search',
        args: { kind: 'supplier', activity: 'inactive', countries: ['VN'] },
        understood: ['inactive', 'suppliers', 'in Viet Nam'],
        complete: true,
        ...NOTHING_ELSE,
      },
    ],
    [
      '/partners top 5 customers',
      {
        intent: 'search',
        args: { kind: 'customer', sortBy: 'total', sortDir: 'desc', limit: 5 },
        understood: ['customers', 'top 5 by total'],
        complete: true,
        ...NOTHING_ELSE,
      },
    ],
    [
      'suppliers &amp; customers in Vietnam',
      {
        intent: 'search',
        args: { countries: ['VN'] },
        understood: ['customers and suppliers', 'in Viet Nam'],
        complete: true,
        ...NOTHING_ELSE,
      },
    ],
    [
      '<@U123ABC|partnerbook> `SUP-000123`',
      {
        intent: 'get',
        code: 'SUP-000123',
        kind: 'supplier',
        understood: ['record SUP-000123'],
        complete: true,
      },
    ],
    [
      'update CUS-000001 email to <mailto:x@y.com|x@y.com>',
      {
        intent: 'update',
        code: 'CUS-000001',
        changes: { email: 'x@y.com' },
        understood: ['change CUS-000001', 'email to x@y.com'],
        complete: true,
      },
    ],
    [
      'set website of SUP-000009 to <http://acme.com|acme.com>',
      {
        intent: 'update',
        code: 'SUP-000009',
        changes: { website: 'acme.com' },
        understood: ['change SUP-000009', 'website to acme.com'],
        complete: true,
      },
    ],
  ])('%s', (question, reading) => {
    expect(readQuestion(question)).toEqual(reading);
  });
});

describe('readQuestion: creates', () => {
  it.each<[string, 'customer' | 'supplier', Record<string, unknown>, string[]]>([
    [
      'create a customer Anna Nguyen anna@acme.vn total sales 0 in Vietnam',
      'customer',
      { firstName: 'Anna', lastName: 'Nguyen', email: 'anna@acme.vn', totalSales: 0, country: 'Vietnam' },
      [],
    ],
    [
      'add supplier Linh from Saigon Cotton, linh@saigoncotton.vn, phone +84 912 345 678, total purchases 1200',
      'supplier',
      {
        firstName: 'Linh',
        companyName: 'Saigon Cotton',
        email: 'linh@saigoncotton.vn',
        phone: '+84 912 345 678',
        totalPurchases: 1200,
      },
      [],
    ],
    [
      'new vendor Linh Tran <mailto:linh@x.vn|linh@x.vn>',
      'supplier',
      { firstName: 'Linh', lastName: 'Tran', email: 'linh@x.vn' },
      ['totalPurchases'],
    ],
    [
      'add a new client named Hans Müller, hans@mueller.de, company Müller GmbH, city Berlin, country Germany, total sales 12,000',
      'customer',
      {
        firstName: 'Hans',
        lastName: 'Müller',
        email: 'hans@mueller.de',
        companyName: 'Müller GmbH',
        city: 'Berlin',
        country: 'Germany',
        totalSales: 12_000,
      },
      [],
    ],
    [
      'add customer Anna Nguyen anna@acme.vn in Da Nang, Vietnam website www.acme.vn 25 employees since 2024-01-15',
      'customer',
      {
        firstName: 'Anna',
        lastName: 'Nguyen',
        email: 'anna@acme.vn',
        city: 'Da Nang',
        country: 'Vietnam',
        website: 'www.acme.vn',
        employees: 25,
        customerSince: '2024-01-15',
      },
      ['totalSales'],
    ],
    [
      'register vendor Tran Van Minh from Vietnam minh@x.vn purchases $5k',
      'supplier',
      {
        firstName: 'Tran',
        lastName: 'Van Minh',
        country: 'Vietnam',
        email: 'minh@x.vn',
        totalPurchases: 5000,
      },
      [],
    ],
    ['add customer', 'customer', {}, ['firstName', 'email', 'totalSales']],
  ])('%s', (question, kind, fields, missing) => {
    const reading = readQuestion(question);
    expect(reading).toMatchObject({ intent: 'create', kind, missing, complete: true });
    expect((reading as Extract<Reading, { intent: 'create' }>).fields).toEqual(fields);
    const input = createPartnerInput.safeParse({ kind, ...fields, termsAccepted: true });
    expect(input.success).toBe(true);
  });

  it('says a create is incomplete when words are left over', () => {
    expect(readQuestion('new customer Anna anna@acme.vn smells nice')).toMatchObject({
      intent: 'create',
      fields: { firstName: 'Anna', email: 'anna@acme.vn' },
      complete: false,
    });
  });

  it('reads "new customers" as a search, not a create', () => {
    expect(readQuestion('new customers in Germany')).toMatchObject({
      intent: 'search',
      args: { kind: 'customer', activity: 'new', countries: ['DE'] },
    });
  });
});

describe('readQuestion: edits', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['change the city of CUS-000001 to Da Nang', 'CUS-000001', { city: 'Da Nang' }],
    ['set phone of SUP-000045 to +84 28 3822 1111', 'SUP-000045', { phone: '+84 28 3822 1111' }],
    ['update CUS-000001 email to x@y.com', 'CUS-000001', { email: 'x@y.com' }],
    ['rename company of CUS-000002 to Acme Ltd', 'CUS-000002', { companyName: 'Acme Ltd' }],
    ['rename CUS-000002 to Acme Ltd.', 'CUS-000002', { companyName: 'Acme Ltd.' }],
    ["change CUS-000001's phone to +84 912 345 678", 'CUS-000001', { phone: '+84 912 345 678' }],
    ['change the name of CUS-000001 to Anna Tran', 'CUS-000001', { firstName: 'Anna', lastName: 'Tran' }],
    ['set the total sales of CUS-000001 to 12.5k', 'CUS-000001', { totalSales: 12_500 }],
    ['set total of SUP-000001 to $1,200', 'SUP-000001', { totalPurchases: 1200 }],
    [
      'update SUP-000002 postal code to 70000 and city to Ho Chi Minh City',
      'SUP-000002',
      { postalCode: '70000', city: 'Ho Chi Minh City' },
    ],
    [
      'set employees of CUS-000003 to 1,200 and the website to www.acme.com',
      'CUS-000003',
      { employees: 1200, website: 'www.acme.com' },
    ],
    ['update the nickname for CUS-000010 to Annie', 'CUS-000010', { nickname: 'Annie' }],
    ['change zip of CUS-000001 to 10115', 'CUS-000001', { postalCode: '10115' }],
    ['set street of CUS-000001 to 12 Le Loi', 'CUS-000001', { street: '12 Le Loi' }],
    ['change CUS-000001 country to Germany', 'CUS-000001', { country: 'Germany' }],
    [
      'set notes of ACME-VN to call before 10am, prefers email.',
      'ACME-VN',
      { notes: 'call before 10am, prefers email' },
    ],
    ['clear the website of CUS-000001', 'CUS-000001', { website: null }],
    ["remove CUS-000001's notes", 'CUS-000001', { notes: null }],
  ])('%s', (question, code, changes) => {
    expect(readQuestion(question)).toEqual({
      intent: 'update',
      code,
      changes,
      understood: expect.arrayContaining([`change ${code}`]),
      complete: true,
    });
    expect(partnerChangesInput.safeParse(changes).success).toBe(true);
  });

  it('is incomplete when no field is named', () => {
    expect(readQuestion('update CUS-000001')).toMatchObject({
      intent: 'update',
      changes: {},
      complete: false,
    });
  });
});

describe('readQuestion: status changes', () => {
  it.each<[string, Reading]>([
    [
      'disable SUP-000123 because they closed',
      {
        intent: 'set_status',
        code: 'SUP-000123',
        status: 'disabled',
        reason: 'they closed',
        understood: ['disable SUP-000123', 'reason "they closed"'],
        complete: true,
      },
    ],
    [
      'deactivate CUS-000001',
      {
        intent: 'set_status',
        code: 'CUS-000001',
        status: 'disabled',
        understood: ['disable CUS-000001'],
        complete: true,
      },
    ],
    [
      'enable SUP-000007',
      {
        intent: 'set_status',
        code: 'SUP-000007',
        status: 'enabled',
        understood: ['enable SUP-000007'],
        complete: true,
      },
    ],
    [
      'reactivate ACME-VN',
      {
        intent: 'set_status',
        code: 'ACME-VN',
        status: 'enabled',
        understood: ['enable ACME-VN'],
        complete: true,
      },
    ],
    [
      'please disable supplier SUP-000123, reason: duplicate record',
      {
        intent: 'set_status',
        code: 'SUP-000123',
        status: 'disabled',
        reason: 'duplicate record',
        understood: ['disable SUP-000123', 'reason "duplicate record"'],
        complete: true,
      },
    ],
    [
      'disable SUP-000123 and CUS-000001',
      {
        intent: 'set_status',
        code: 'SUP-000123',
        status: 'disabled',
        understood: ['disable SUP-000123'],
        complete: false,
      },
    ],
  ])('%s', (question, reading) => {
    expect(readQuestion(question)).toEqual(reading);
  });
});
