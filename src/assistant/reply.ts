/**
 * What the assistant says, the same for every transport: plain words arranged in parts. Nothing
 * in a reply is escaped or formatted for a transport; src/slack renders the parts to Block Kit
 * (escaping there, once), and `text` is what `partnerbook ask` prints and POST /api/ask returns.
 */

/** Inline words: plain text, text to stress, or a person named by their id in the asking transport. */
export type Span = string | { strong: string } | { emphasis: string } | { mention: string };

/** The words of a part: a plain string, or spans in order. */
export type Words = string | readonly Span[];

/** A button: an action the transport offers (Confirm, Cancel), with the value it sends back. */
export interface ReplyAction {
  id: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
}

/** One piece of a reply. */
export type ReplyPart =
  /** A line that heads the answer (the count, a title); a warning is marked as one. */
  | { type: 'heading'; text: Words; tone?: 'warning' }
  | { type: 'paragraph'; text: Words }
  /** Records or facts, one per line. */
  | { type: 'rows'; rows: readonly Words[] }
  /** Small print under the answer: as-of dates, sources, definitions. */
  | { type: 'note'; text: Words }
  /** A link to open, e.g. "and 12 more" with "download the full list". */
  | { type: 'link'; lead: string; label: string; url: string; note?: string }
  /** Buttons; only transports that can press them show them. */
  | { type: 'actions'; id: string; actions: readonly ReplyAction[] };

/**
 * What the bot says. `parts` is the answer for transports that lay it out (Slack); `text` is the
 * same answer in plain words (the terminal, POST /api/ask, Slack's notification text), the
 * plain rendering of the parts unless the reply was built with its own.
 */
export interface BotReply {
  text: string;
  parts: ReplyPart[];
}

/** Words as plain text: stress dropped, a person as @id. */
export function plainWords(words: Words): string {
  if (typeof words === 'string') return words;
  return words
    .map((span) => {
      if (typeof span === 'string') return span;
      if ('strong' in span) return span.strong;
      if ('emphasis' in span) return span.emphasis;
      return `@${span.mention}`;
    })
    .join('');
}

function partText(part: ReplyPart): string | undefined {
  switch (part.type) {
    case 'heading':
    case 'paragraph':
    case 'note':
      return plainWords(part.text);
    case 'rows':
      return part.rows.map((row) => `• ${plainWords(row)}`).join('\n') || undefined;
    case 'link':
      return `${part.lead}: ${part.url}${part.note ? ` (${part.note})` : ''}`;
    case 'actions':
      return undefined;
  }
}

/** The parts as plain text, one part per line (buttons left out: nothing can press them there). */
export function replyText(parts: readonly ReplyPart[]): string {
  return parts
    .map(partText)
    .filter((line) => line !== undefined && line !== '')
    .join('\n');
}

/** A reply of these parts; its text is their plain rendering unless `text` is given. */
export function reply(parts: ReplyPart[], options: { text?: string } = {}): BotReply {
  return { text: options.text ?? replyText(parts), parts };
}

/** A reply that is one paragraph. */
export function plainReply(text: string): BotReply {
  return reply([{ type: 'paragraph', text }]);
}

/** Whether a value is a reply (a tool result is not). */
export function isReply(value: unknown): value is BotReply {
  return !!value && typeof value === 'object' && 'parts' in value && 'text' in value;
}
