import { Body, Controller, Get, Post } from '@nestjs/common';
import { consoleCreateSignInLink } from '@horizon/contracts';
import { SignInService, type Viewer } from '../application/sign-in.service';
import { AuditRepository } from '../persistence/audit.repository';
import { CurrentViewer, Requires } from './access';
import { parse } from './work.controller';

/** What admins do: invite people with a sign-in link, read the audit trail. */
@Controller('api/admin')
export class AdminController {
  constructor(
    private readonly signIn: SignInService,
    private readonly audit: AuditRepository,
  ) {}

  /** A one-time link for someone else, with the role it grants: how a team is invited locally. */
  @Requires('admin')
  @Post('sign-in-links')
  async invite(@CurrentViewer() viewer: Viewer, @Body() body: unknown) {
    const request = parse(consoleCreateSignInLink.data, body ?? {});
    const link = await this.signIn.createLink(request);
    await this.audit.record({
      personId: viewer.personId,
      actor: viewer.name,
      action: 'person.invited',
      target: request.person,
      detail: { role: request.role, repo: request.repo },
    });
    return link;
  }

  @Requires('admin')
  @Get('audit')
  async trail() {
    const entries = await this.audit.latest(200);
    return { entries: entries.map((e) => ({ ...e, at: e.at.toISOString() })) };
  }
}
