import type { z } from 'zod';
import type { partnerDetail } from '../directory/partner-read.ts';
import { money, totalOf } from '../tools/format.ts';
import { type BotReply, context, escapeMrkdwn, reply, section } from './reply.ts';

type Detail = z.infer<typeof partnerDetail>;

/** One record as a short card: who, where, money and activity, compliance items. */
export function partnerReply(value: Record<string, unknown>): BotReply {
  const partner = value as unknown as Detail;
  const name = `${partner.firstName} ${partner.lastName ?? ''}`.trim();
  const place = [partner.street, partner.city, partner.postalCode, partner.countryName]
    .filter(Boolean)
    .join(', ');
  const since = partner.customerSince ?? partner.supplierSince;
  const lines = [
    `*${escapeMrkdwn(partner.code)}* ${escapeMrkdwn(name)}${partner.companyName ? ` · ${escapeMrkdwn(partner.companyName)}` : ''} (${partner.kind}${partner.status === 'disabled' ? ', disabled' : ''})`,
    [partner.email, partner.phone, partner.website]
      .filter(Boolean)
      .map((v) => escapeMrkdwn(v!))
      .join(' · '),
    place ? escapeMrkdwn(place) : undefined,
    `${partner.kind === 'customer' ? 'Total sales' : 'Total purchases'} ${money(totalOf(partner), partner.currency)} · ${partner.ordersCount} orders${partner.lastOrderDate ? `, last ${partner.lastOrderDate}` : ''} · ${partner.activity}${partner.isNew ? ', new' : ''}${since ? ` · since ${since}` : ''}`,
  ].filter(Boolean) as string[];
  const items = partner.complianceItems
    .map((item) => `${escapeMrkdwn(item.name)} valid to ${item.validTo}`)
    .join(' · ');
  const blocks = [section(lines.join('\n'))];
  if (items) blocks.push(context(`Compliance: ${items}`));
  const text = lines
    .join('\n')
    .replace(/\*/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
  return reply(
    items
      ? `${text}\nCompliance: ${partner.complianceItems.map((i) => `${i.name} valid to ${i.validTo}`).join(', ')}`
      : text,
    blocks,
  );
}
