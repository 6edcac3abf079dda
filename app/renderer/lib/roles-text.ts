/** A user's roles as the console writes them: each by its catalog name, joined the language's way. */
import type { Lang } from './value-view.js';

/**
 * Roles as a list, or as the audit trail stores them ("supervisor+administrator"). `short`: the
 * catalog's short names ("Нач. смены и Админ."), for the header where the whole ones do not fit.
 */
export function rolesText(roles: readonly string[] | string, lang: Lang, short = false): string {
  const list = typeof roles === 'string' ? roles.split('+').filter(Boolean) : roles;
  return lang.fmt.list(list.map((role) => lang.t(short ? 'session.roleShort' : 'session.role', { role })));
}
