import { userInfo } from 'node:os';
import type { Principal } from '../directory/access/principal.ts';

/**
 * Whoever runs installation commands (migrate, seed, tokens, settings) with direct access to
 * the database; such access is already full control, so the operator acts as an admin.
 */
export function operatorPrincipal(): Principal {
  let user = 'operator';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep the generic name
  }
  return { id: `cli:${user}`, name: `cli:${user}`, role: 'admin', accessGroups: [] };
}
