import { z } from 'zod';
import { createPartnerInput } from '../directory/partners/partner-schema.ts';
import { partnerView } from '../directory/partners/partner-view.ts';
import { createPartner } from '../directory/partners/partner-write.ts';
import { defineTool } from './define-tool.ts';
import { recordLine } from './format.ts';

export const createPartnerTool = defineTool({
  name: 'create_partner',
  title: 'Create a customer or supplier',
  description:
    'Creates a customer (buys from us) or supplier (we buy from them). Required: kind, firstName, email, totalSales (customers) or totalPurchases (suppliers; 0 when no history) and termsAccepted: true (the terms and privacy confirmation; ask the user before setting it). Country accepts codes or names; phone is validated. Returns the record and data-quality warnings. Example: {"kind":"supplier","firstName":"Linh","email":"linh@saigoncotton.vn","companyName":"Saigon Cotton","country":"Vietnam","totalPurchases":0,"termsAccepted":true}.',
  inputSchema: createPartnerInput,
  outputSchema: z.object({ partner: partnerView, warnings: z.array(z.string()) }),
  effect: 'write',
  permission: 'write',
  async handler(input, ctx) {
    const result = await createPartner(ctx, input);
    return {
      structured: result,
      text: `Created ${recordLine(result.partner)}.${result.warnings.length ? ` Warnings: ${result.warnings.join(' ')}` : ''}`,
    };
  },
});
