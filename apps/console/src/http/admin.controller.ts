import {
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { RpcError } from '@horizon/messaging';
import { consoleCreateSignInLink, consoleRoleSchema } from '@horizon/contracts';
import { z } from 'zod';
import { AdminRefused, PeopleAdmin } from '../application/people-admin.service';
import type { Viewer } from '../application/sign-in.service';
import { AuditRepository } from '../persistence/audit.repository';
import type { AuditEntryView, PersonView } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';
import { parse } from './work.controller';

const grantChange = z.object({
  repo: consoleCreateSignInLink.data.shape.repo.unwrap(),
  /** null removes the grant. */
  role: consoleRoleSchema.nullable(),
});

/** What admins do: invite people, set their roles, sign them out, read the audit trail. */
@Controller('api/admin')
export class AdminController {
  constructor(
    private readonly admin: PeopleAdmin,
    private readonly audit: AuditRepository,
  ) {}

  @Requires('admin')
  @Get('people')
  people(): Promise<PersonView[]> {
    return this.admin.list();
  }

  /** A one-time link for someone else, with the role it grants: how a team is invited locally. */
  @Requires('admin')
  @Post('sign-in-links')
  invite(@CurrentViewer() viewer: Viewer, @Body() body: unknown) {
    return refusals(() => this.admin.invite(viewer, parse(consoleCreateSignInLink.data, body ?? {})));
  }

  @Requires('admin')
  @Post('people/:id/grants')
  @HttpCode(204)
  async setGrant(
    @CurrentViewer() viewer: Viewer,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
  ): Promise<void> {
    const change = parse(grantChange, body ?? {});
    await refusals(() => this.admin.setGrant(viewer, id, change.repo, change.role));
  }

  @Requires('admin')
  @Post('people/:id/sign-out')
  async signOut(@CurrentViewer() viewer: Viewer, @Param('id', new ParseUUIDPipe()) id: string) {
    return { sessionsEnded: await refusals(() => this.admin.signOutEverywhere(viewer, id)) };
  }

  @Requires('admin')
  @Get('audit')
  async trail(): Promise<{ entries: AuditEntryView[] }> {
    const entries = await this.audit.latest(200);
    return {
      entries: entries.map((e) => ({
        id: e.id,
        actor: e.actor,
        action: e.action,
        target: e.target,
        detail: e.detail as Record<string, unknown>,
        at: e.at.toISOString(),
      })),
    };
  }
}

/**
 * An admin's refusal as the HTTP answer it names; a service that did not answer (its RPC timed
 * out) as 503 naming it, so the page can say what to start.
 */
export async function refusals<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof RpcError && err.code === 'unavailable')
      throw new ServiceUnavailableException(`${err.message.split(':')[0]} did not answer; is it running?`);
    if (!(err instanceof AdminRefused)) throw err;
    if (err.status === 404) throw new NotFoundException(err.message);
    if (err.status === 409) throw new ConflictException(err.message);
    throw new ForbiddenException(err.message);
  }
}
