import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * Drops what costs a model tokens and says nothing: the `$schema` line (2020-12 is the default
 * dialect in MCP) and the ±2^53-1 bounds zod puts on every integer (a JSON number outside them
 * cannot be an exact integer anyway, and the tool's own validation still refuses it). Every other
 * keyword stays, so the schema accepts what the tool accepts.
 */
export function leanSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(leanSchema);
  if (!node || typeof node !== 'object') return node;
  const lean: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    if (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) continue;
    if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
    lean[key] = leanSchema(value);
  }
  return lean;
}

/** The JSON Schema MCP clients see for a zod schema, as input (what may be sent) or output. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): { type: 'object' } & JsonSchema {
  return leanSchema(z.toJSONSchema(schema, { io, unrepresentable: 'any' })) as {
    type: 'object';
  } & JsonSchema;
}
