import type { z } from 'zod';
import type { Logger } from '../app/logger.ts';
import {
  hasPermission,
  type Permission,
  type Principal,
  permissionRoles,
  type Role,
} from '../directory/access/principal.ts';
import type { DirectoryContext } from '../directory/context.ts';

/** What a tool handler gets: the domain context plus host services. No module singletons. */
export interface ToolContext extends DirectoryContext {
  logger: Logger;
  /** Base URL of this server, for download links (PUBLIC_URL, or where it listens). */
  publicUrl: string;
}

export interface ToolResource {
  uri: string;
  mimeType: string;
  text: string;
}

export interface ToolResourceLink {
  uri: string;
  name: string;
  mimeType: string;
  description?: string;
}

/** A handler's answer: data matching the output schema and a short text for people and models. */
export interface ToolOutput<O> {
  structured: O;
  text: string;
  resources?: ToolResource[];
  links?: ToolResourceLink[];
}

export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * What a call does to the directory. `read` changes no record (it may leave a trace: an audit
 * event, a download link, a breach notice), so it never needs a confirmation; `write` creates or
 * changes records and `destructive` removes them: both need the user's confirmation on the model
 * path. The MCP annotations are derived from it.
 */
export type ToolEffect = 'read' | 'write' | 'destructive';

// biome-ignore lint/suspicious/noExplicitAny: the registry holds tools of many input shapes
export type AnyObjectSchema = z.ZodObject<any>;

/** One tool: defined once, used by MCP, Slack and the CLI. */
export interface ToolDefinition<
  I extends AnyObjectSchema = AnyObjectSchema,
  O extends AnyObjectSchema = AnyObjectSchema,
> {
  name: string;
  title: string;
  description: string;
  inputSchema: I;
  outputSchema: O;
  effect: ToolEffect;
  /** Calling again with the same input changes nothing more (default: true for reads, false otherwise). */
  idempotent?: boolean;
  /**
   * What the call needs, from the domain's one table (permissionRoles). The domain function the
   * handler calls checks the same permission, so no interface can skip it; the runner refuses
   * early and the listings hide the tool from it.
   */
  permission: Permission;
  /** The lowest role that may call it, derived from `permission` (never set by hand). */
  readonly role: Role;
  handler(input: z.infer<I>, ctx: ToolContext): Promise<ToolOutput<z.infer<O>>>;
}

/** A tool as written in its file: everything but what is derived from its permission. */
export function defineTool<I extends AnyObjectSchema, O extends AnyObjectSchema>(
  tool: Omit<ToolDefinition<I, O>, 'role'>,
): ToolDefinition<I, O> {
  return { ...tool, role: permissionRoles[tool.permission] };
}

/** Whether the principal may call the tool: the runner's early refusal and every listing use this. */
export function mayCall(
  principal: Pick<Principal, 'role'>,
  tool: Pick<ToolDefinition, 'permission'>,
): boolean {
  return hasPermission(principal, tool.permission);
}

/** MCP annotations, derived from the tool's declared effect (never set by hand). */
export function annotationsOf(tool: Pick<ToolDefinition, 'effect' | 'idempotent'>): ToolAnnotations {
  return {
    readOnlyHint: tool.effect === 'read',
    destructiveHint: tool.effect === 'destructive',
    idempotentHint: tool.idempotent ?? tool.effect === 'read',
    openWorldHint: false,
  };
}

/** Whether a call must be confirmed by the person before it runs (model path, Slack). */
export function needsConfirmation(tool: Pick<ToolDefinition, 'effect'>): boolean {
  return tool.effect !== 'read';
}
