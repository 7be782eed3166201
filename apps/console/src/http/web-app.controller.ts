import fs from 'node:fs';
import path from 'node:path';
import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public, WEB_OPTIONS, type WebOptions } from './access';

/**
 * The single-page app's shell for every page address (`/`, `/work-items/…`, `/graph`), so a
 * reload or a shared link opens the right page; its files under /assets are served by
 * @fastify/static (main.ts). API paths that matched no route stay 404s with a JSON body.
 */
@Controller()
export class WebAppController {
  constructor(@Inject(WEB_OPTIONS) private readonly options: WebOptions) {}

  @Public()
  @Get('*')
  shell(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    if (/^\/(api|auth|assets)(\/|$)/.test(request.url))
      throw new NotFoundException(`no route ${request.method} ${request.url.split('?')[0]}`);
    const index = path.join(this.options.webDir, 'index.html');
    if (!fs.existsSync(index))
      throw new NotFoundException(
        `the console is not built (no ${index}); run \`npm run console:build\` or \`npm run bootstrap\``,
      );
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(fs.createReadStream(index));
  }
}
