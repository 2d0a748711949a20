/**
 * Slack mrkdwn: the one escaping function for everything the bot sends to Slack, and mrkdwn the
 * bot writes itself (a mention, our own words around escaped values).
 */

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const trusted = Symbol('mrkdwn');

/**
 * Slack mrkdwn the bot wrote itself (a mention of the asking user). Only mrkdwn`` and mention()
 * make one, so every value inside it went through escapeMrkdwn.
 */
export interface Mrkdwn {
  readonly [trusted]: string;
}

/**
 * Escapes text for mrkdwn: & < > become entities, so a company named "<!channel>" never pings
 * anyone and no text can form a disguised link. The one escaping function for everything the
 * bot sends to Slack.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const isMrkdwn = (value: unknown): value is Mrkdwn =>
  !!value && typeof value === 'object' && trusted in value;

const asMrkdwn = (value: string): Mrkdwn => ({ [trusted]: value });

/** The mrkdwn text of a Mrkdwn value, as written. */
export function mrkdwnText(value: Mrkdwn): string {
  return value[trusted];
}

/**
 * Mrkdwn from a template: the literal parts are ours and kept, every interpolated string or
 * number is escaped, and a Mrkdwn value (mention()) is kept as written.
 * mrkdwn`Only ${mention(id)} can confirm ${summary}.`
 */
export function mrkdwn(parts: TemplateStringsArray, ...values: (string | number | Mrkdwn)[]): Mrkdwn {
  let out = parts[0] ?? '';
  values.forEach((value, i) => {
    out += isMrkdwn(value) ? value[trusted] : escapeMrkdwn(String(value));
    out += parts[i + 1] ?? '';
  });
  return asMrkdwn(out);
}

/** A mention that notifies the user (`<@U123>`), for a Slack user id only; anything else is escaped text. */
export function mention(slackUserId: string): Mrkdwn {
  return asMrkdwn(SLACK_USER_ID.test(slackUserId) ? `<@${slackUserId}>` : escapeMrkdwn(slackUserId));
}

/** Cuts mrkdwn at `limit` without leaving half an entity (&am) or an unclosed <...> behind. */
export function capMrkdwn(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text
    .slice(0, limit - 1)
    .replace(/&[a-z]*$/, '')
    .replace(/<[^>]*$/, '')}…`;
}
