import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  TriggerDefinitionError,
  TriggerNameTakenError,
  WebhookTriggers,
} from '../application/webhook-triggers';
import { ApiTokenGuard, RequireScope } from './api-token.guard';
import type { AuthenticatedRequest } from './api-token.guard';
import { parseInput } from './parse-input';
import { createTriggerBody, triggerNameParam } from './triggers.schemas';

/** Webhook triggers through the work API (scope triggers:manage); the CLI's `horizon trigger`. */
@Controller('api/v1/triggers')
@UseGuards(ApiTokenGuard)
export class TriggersController {
  constructor(private readonly triggers: WebhookTriggers) {}

  @Post()
  @HttpCode(201)
  @RequireScope('triggers:manage')
  async create(@Body() body: unknown, @Req() request: AuthenticatedRequest) {
    const input = parseInput(createTriggerBody, body, 'trigger');
    try {
      return await this.triggers.create(input, `api-token:${request.principal.tokenId}`);
    } catch (error) {
      if (error instanceof TriggerDefinitionError) throw new BadRequestException({ error: error.message });
      if (error instanceof TriggerNameTakenError) throw new ConflictException({ error: error.message });
      throw error;
    }
  }

  @Get()
  @RequireScope('triggers:manage')
  async list() {
    return { triggers: await this.triggers.list() };
  }

  @Delete(':name')
  @HttpCode(204)
  @RequireScope('triggers:manage')
  async delete(@Param('name') name: string): Promise<void> {
    const parsed = parseInput(triggerNameParam, name, 'trigger name');
    if (!(await this.triggers.delete(parsed)))
      throw new NotFoundException({ error: `no trigger named ${parsed} (horizon trigger list shows them)` });
  }
}
