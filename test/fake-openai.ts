import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI-compatible Chat Completions server on loopback. Each request gets the next
 * scripted reply: a tool call, or text. Requests (with their headers) are recorded.
 */
export class FakeOpenAI {
  readonly requests: {
    headers: Record<string, string | string[] | undefined>;
    body: Record<string, unknown>;
  }[] = [];
  private server: Server | undefined;
  url = '';

  constructor(
    private readonly script: (
      | { toolCall: { name: string; arguments: Record<string, unknown> } }
      | { text: string }
    )[],
  ) {}

  async start(): Promise<void> {
    this.server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      this.requests.push({ headers: request.headers, body });
      const step = this.script[Math.min(this.requests.length - 1, this.script.length - 1)]!;
      const message =
        'toolCall' in step
          ? {
              role: 'assistant',
              content: null,
              tool_calls: [
                {
                  id: `call_${this.requests.length}`,
                  type: 'function',
                  function: { name: step.toolCall.name, arguments: JSON.stringify(step.toolCall.arguments) },
                },
              ],
            }
          : { role: 'assistant', content: step.text };
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          id: `chatcmpl-${this.requests.length}`,
          object: 'chat.completion',
          created: 1_700_000_000,
          model: String(body.model),
          choices: [{ index: 0, message, finish_reason: 'toolCall' in step ? 'tool_calls' : 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
