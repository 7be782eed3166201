import { startFigmaStandin, type FigmaStandin } from './figma-standin';

describe('Figma stand-in', () => {
  let figma: FigmaStandin;
  beforeAll(async () => {
    figma = await startFigmaStandin();
  });
  afterAll(() => figma.close());

  const get = (path: string, token: string | null = figma.token) =>
    fetch(`${figma.url}${path}`, { headers: token ? { 'x-figma-token': token } : {} });

  it('refuses what Figma’s API description does not have, and a token that is not the one', async () => {
    const key = figma.addFile({ name: 'Mockups', pages: [{ name: 'Cart', frames: ['Empty'] }] });
    expect((await get(`/v1/files/${key}?depth=2`)).status).toBe(200);
    const unknown = await get(`/v1/files/${key}?deep=2`);
    expect([unknown.status, await unknown.json()]).toEqual([
      400,
      { status: 400, err: 'Unknown parameter: deep' },
    ]);
    expect((await get(`/v1/files/${key}?depth=two`)).status).toBe(400);
    expect((await get(`/v1/files/${key}/comments?as_md=yes`)).status).toBe(400);
    expect((await get(`/v1/filez/${key}`)).status).toBe(404);
    const anonymous = await get(`/v1/files/${key}`, null);
    expect([anonymous.status, await anonymous.json()]).toEqual([403, { status: 403, err: 'Invalid token' }]);
    expect((await get('/v1/files/NoSuchFile123')).status).toBe(404);
  });
});
