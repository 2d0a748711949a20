import { DirectoryError } from '../errors.ts';

export const roles = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who is asking. Never taken from tool arguments: each interface resolves it from its own credentials. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
  /** Empty: sees only partners without access groups (unless admin). */
  accessGroups: string[];
}

/** The interface a call came through; recorded on every audit event. */
export type Via = 'mcp' | 'slack' | 'cli' | 'http' | 'system';

/** The caller of a domain operation: principal plus where the call came from. */
export interface Actor {
  principal: Principal;
  via: Via;
  /** For MCP: the client's name from the initialize handshake. */
  clientName?: string;
}

const rank: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/**
 * The one table of what each role may do: the lowest role holding each permission. The domain
 * checks it on every operation (requirePermission), so no interface can skip it; tools declare
 * a permission from it, and the runner's early refusal and the tool listings read it too.
 */
export const permissionRoles = {
  read: 'viewer',
  write: 'editor',
  remove: 'admin',
  manage: 'admin',
  history_export: 'admin',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof permissionRoles;

/** Whether the principal holds the permission (see permissionRoles); an unknown role holds none. */
export function hasPermission(principal: Pick<Principal, 'role'>, permission: Permission): boolean {
  return rank[principal.role] >= rank[permissionRoles[permission]];
}

/** Throws `forbidden` naming the role needed, unless the principal holds the permission. */
export function requirePermission(principal: Principal, permission: Permission, action: string): void {
  if (hasPermission(principal, permission)) return;
  const needed = permissionRoles[permission];
  throw new DirectoryError(
    'forbidden',
    `Your role (${principal.role}) cannot ${action}; the ${needed} role is needed.`,
    {
      hint: `Ask an admin for the ${needed} role.`,
      details: { requiredRole: needed, yourRole: principal.role },
    },
  );
}
