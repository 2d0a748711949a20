import type { LanguageModel } from 'ai';
import { type Config, modelConfigured } from '../../config.ts';

/**
 * The chat model, through any OpenAI-compatible Chat Completions server (OpenAI, a local Ollama
 * or vLLM via OPENAI_BASE_URL); undefined when none is configured. Only OPENAI_API_KEY is sent
 * to it, never a partnerbook or Slack token.
 */
export async function createModel(config: Config): Promise<LanguageModel | undefined> {
  if (!modelConfigured(config)) return undefined;
  // Loaded only when a model is configured: the AI SDK is not needed otherwise.
  const { createOpenAI } = await import('@ai-sdk/openai');
  const provider = createOpenAI({ baseURL: config.OPENAI_BASE_URL, apiKey: config.OPENAI_API_KEY ?? 'none' });
  return provider.chat(config.OPENAI_MODEL);
}
