import type { z } from 'zod';
import type { partnerDetail } from '../directory/partners/partner-read.ts';
import { money, totalOf } from '../tools/format.ts';
import { type BotReply, context, escapeMrkdwn, reply, section } from './reply.ts';

type Detail = z.infer<typeof partnerDetail>;

/** How the card writes record text: as it is (plain words) or escaped for mrkdwn. */
interface Writer {
  text: (value: string) => string;
  bold: (value: string) => string;
}

const plain: Writer = { text: (value) => value, bold: (value) => value };
const slack: Writer = { text: escapeMrkdwn, bold: (value) => `*${escapeMrkdwn(value)}*` };

function cardLines(partner: Detail, write: Writer): string[] {
  const name = `${partner.firstName} ${partner.lastName ?? ''}`.trim();
  const place = [partner.street, partner.city, partner.postalCode, partner.countryName]
    .filter(Boolean)
    .join(', ');
  const since = partner.customerSince ?? partner.supplierSince;
  return [
    `${write.bold(partner.code)} ${write.text(name)}${partner.companyName ? ` · ${write.text(partner.companyName)}` : ''} (${partner.kind}${partner.status === 'disabled' ? ', disabled' : ''})`,
    [partner.email, partner.phone, partner.website]
      .filter(Boolean)
      .map((v) => write.text(v!))
      .join(' · '),
    place ? write.text(place) : undefined,
    `${partner.kind === 'customer' ? 'Total sales' : 'Total purchases'} ${money(totalOf(partner), partner.currency)} · ${partner.ordersCount} orders${partner.lastOrderDate ? `, last ${partner.lastOrderDate}` : ''} · ${partner.activity}${partner.isNew ? ', new' : ''}${since ? ` · since ${since}` : ''}`,
  ].filter(Boolean) as string[];
}

/** One record as a short card: who, where, money and activity, compliance items. */
export function partnerReply(value: Record<string, unknown>): BotReply {
  const partner = value as unknown as Detail;
  const items = (write: Writer, separator: string) =>
    partner.complianceItems
      .map((item) => `${write.text(item.name)} valid to ${item.validTo}`)
      .join(separator);
  const blocks = [section(cardLines(partner, slack).join('\n'))];
  if (partner.complianceItems.length) blocks.push(context(`Compliance: ${items(slack, ' · ')}`));
  const text = cardLines(partner, plain).join('\n');
  return reply(partner.complianceItems.length ? `${text}\nCompliance: ${items(plain, ', ')}` : text, blocks);
}
