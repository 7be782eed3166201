/**
 * What a browser does over plain HTTP for a sign-in: keeps each site's cookies and follows
 * redirects one Location at a time, so a test sees every hop of the chain. Cookies are kept
 * per origin (stricter than a browser, which shares them across ports of one host).
 */
export class BrowserJar {
  private readonly jars = new Map<string, Map<string, string>>();

  cookie(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).origin)?.get(name);
  }

  setCookie(url: string, name: string, value: string): void {
    this.jar(new URL(url).origin).set(name, value);
  }

  async fetch(url: string): Promise<Response> {
    const origin = new URL(url).origin;
    const cookies = [...(this.jars.get(origin) ?? new Map<string, string>()).entries()];
    const res = await fetch(url, {
      redirect: 'manual',
      headers: cookies.length ? { cookie: cookies.map(([k, v]) => `${k}=${v}`).join('; ') } : {},
    });
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = attributes.some((a) => {
        const [key, val] = a.trim().split('=');
        return (
          (key?.toLowerCase() === 'max-age' && Number(val) <= 0) ||
          (key?.toLowerCase() === 'expires' && new Date(val!).getTime() < Date.now())
        );
      });
      if (expired) this.jar(origin).delete(name!.trim());
      else this.jar(origin).set(name!.trim(), value.join('='));
    }
    return res;
  }

  /**
   * Follows redirects from `url` until an answer that is not one, or until the next hop would
   * be `stopAt` (not fetched). Returns every URL visited and the last answer.
   */
  async follow(
    url: string,
    stopAt?: (next: URL) => boolean,
  ): Promise<{ hops: string[]; last: Response; next?: string }> {
    const hops: string[] = [];
    let current = url;
    for (let i = 0; i < 20; i++) {
      hops.push(current);
      const res = await this.fetch(current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { hops, last: res };
      const next = new URL(location, current);
      if (stopAt?.(next)) return { hops, last: res, next: next.toString() };
      current = next.toString();
    }
    throw new Error(`more than 20 redirects from ${url}: ${hops.join(' -> ')}`);
  }

  private jar(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }
}
