/** What the CLI says when the directory has no records yet: how to add some (README "Bring your own data"). */
export const emptyDirectoryHint = [
  'The directory is empty. Add your first record:',
  `  npx partnerbook call create_partner '{"kind":"supplier","firstName":"Linh","email":"linh@saigoncotton.vn","companyName":"Saigon Cotton","country":"Vietnam","totalPurchases":0,"termsAccepted":true}'`,
  'or load the demo directory: npx partnerbook seed --demo (on the embedded database, with the server stopped).',
].join('\n');

/** Quotes one word for a POSIX shell when it needs it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** `npx partnerbook <args>` as a line to copy, each word quoted when needed. */
export function commandLine(args: readonly string[]): string {
  return ['npx', 'partnerbook', ...args].map(shellWord).join(' ');
}

/**
 * The arguments this command was run with, with one option replaced (or added): for "the next
 * page" lines such as `... --cursor <next>`.
 */
export function sameCommandWith(options: {
  argv: readonly string[];
  option: string;
  value: string;
}): string[] {
  const args: string[] = [];
  const { argv, option } = options;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === option) {
      i++;
      continue;
    }
    if (arg.startsWith(`${option}=`)) continue;
    args.push(arg);
  }
  return [...args, option, options.value];
}

/**
 * The exact command that downloads an export link printed in a terminal: links made for the CLI
 * open without a token (for their hour); with PARTNERBOOK_TOKEN the link belongs to that token,
 * so the command sends it (from the environment, never printed).
 */
export function curlCommand(options: { url: string; fileName?: string; withToken: boolean }): string {
  // Without a name, -OJ saves under the name the server gives (partnerbook-customers-<date>.csv).
  const saveAs = options.fileName ? `-o ${shellWord(options.fileName)}` : '-OJ';
  return `curl -fsSL${options.withToken ? ' -H "Authorization: Bearer $PARTNERBOOK_TOKEN"' : ''} ${saveAs} ${shellWord(options.url)}`;
}

/** The export links (…/exports/<id>) in a text, for the download lines under an answer. */
export function exportLinksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s)>"']+\/exports\/[0-9a-f-]{36}/gi) ?? [])];
}
