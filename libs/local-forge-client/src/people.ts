/**
 * The address the local forge attributes to one of its logins: in merge commits it makes and
 * in `Co-authored-by` trailers for a person whose linked account is a `local` one. Like
 * GitHub's noreply addresses, it names the account without exposing anyone's mailbox.
 */
export function localForgeNoreplyEmail(login: string): string {
  return `${login}@users.noreply.horizon.local`;
}

/** What the forge accepts as a login (`X-Forge-User`). */
const LOGIN = /^[A-Za-z0-9][A-Za-z0-9_.\-[\]]{0,63}$/;

/**
 * The forge login a person acts as: their name, with what a login may not hold (spaces, accents,
 * punctuation) turned into `-`, so "Ada Lovelace" acts as `Ada-Lovelace`; `fallback` when
 * nothing of the name is left.
 */
export function forgeLogin(name: string, fallback: string): string {
  if (LOGIN.test(name)) return name;
  const login = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '')
    .slice(0, 64);
  return login || fallback;
}
