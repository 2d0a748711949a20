import type { z } from 'zod';
import { totalLabel } from '../directory/partners/partner-field-rules.ts';
import type { partnerDetail } from '../directory/partners/partner-read.ts';
import { sinceOf, totalOf } from '../directory/partners/partner-view.ts';
import { money } from '../tools/index.ts';
import { type BotReply, type ReplyPart, reply, type Span } from './reply.ts';

type Detail = z.infer<typeof partnerDetail>;

/** Who (code in bold), how to reach them, where, and money and activity: one line each. */
function cardWords(partner: Detail): Span[] {
  const name = `${partner.firstName} ${partner.lastName ?? ''}`.trim();
  const place = [partner.street, partner.city, partner.postalCode, partner.countryName]
    .filter(Boolean)
    .join(', ');
  const since = sinceOf(partner);
  const lines = [
    ` ${name}${partner.companyName ? ` · ${partner.companyName}` : ''} (${partner.kind}${partner.status === 'disabled' ? ', disabled' : ''})`,
    [partner.email, partner.phone, partner.website].filter(Boolean).join(' · ') || undefined,
    place || undefined,
    `${totalLabel(partner.kind)} ${money(totalOf(partner), partner.currency)} · ${partner.ordersCount} orders${partner.lastOrderDate ? `, last ${partner.lastOrderDate}` : ''} · ${partner.activity}${partner.isNew ? ', new' : ''}${since ? ` · since ${since}` : ''}`,
  ].filter(Boolean);
  return [{ strong: partner.code }, lines.join('\n')];
}

/** One record as a short card: who, where, money and activity, compliance items. */
export function partnerReply(value: Record<string, unknown>): BotReply {
  const partner = value as unknown as Detail;
  const parts: ReplyPart[] = [{ type: 'paragraph', text: cardWords(partner) }];
  if (partner.complianceItems.length)
    parts.push({
      type: 'note',
      text: `Compliance: ${partner.complianceItems.map((item) => `${item.name} valid to ${item.validTo}`).join(' · ')}`,
    });
  return reply(parts);
}
