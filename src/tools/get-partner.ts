import { getPartner, partnerDetail } from '../directory/partners/partner-read.ts';
import { partnerRef } from '../directory/partners/partner-ref.ts';
import { totalOf } from '../directory/partners/partner-view.ts';
import { defineTool } from './define-tool.ts';
import { money, partnerLabel } from './format.ts';

export const getPartnerTool = defineTool({
  name: 'get_partner',
  title: 'Get one customer or supplier',
  description:
    'Returns the full record of one customer or supplier by code or id: contact, company, address, totals, order activity, compliance items, the last 5 orders and the last 10 changes. Use after search_partners, or when the user names a code. Example: {"code":"SUP-000123"}.',
  inputSchema: partnerRef,
  outputSchema: partnerDetail,
  effect: 'read',
  permission: 'read',
  async handler(input, ctx) {
    const partner = await getPartner(ctx, input);
    const place = [partner.city, partner.countryName].filter(Boolean).join(', ');
    return {
      structured: partner,
      text: `${partnerLabel(partner)} · ${partner.kind} · ${partner.status}${place ? ` · ${place}` : ''} · ${money(totalOf(partner), partner.currency)} · ${partner.ordersCount} orders${partner.lastOrderDate ? `, last ${partner.lastOrderDate}` : ''} · ${partner.email}${partner.phone ? ` · ${partner.phone}` : ''}${partner.counterpart ? ` · also a ${partner.counterpart.kind}: ${partner.counterpart.code} (${partner.counterpart.ordersCount} orders${partner.counterpart.lastOrderDate ? `, last ${partner.counterpart.lastOrderDate}` : ''})` : ''}`,
    };
  },
});
