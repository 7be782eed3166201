import { Controller, HttpCode, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import { DeliveryReplayService } from '../application/delivery-replay.service';
import { ForgeErrorFilter, ForgeTokenGuard } from './http-support';

/** The forge's deliveries (the events it emitted), for replay. Every route needs the forge token. */
@Controller('api/v1/deliveries')
@UseGuards(ForgeTokenGuard)
@UseFilters(ForgeErrorFilter)
export class DeliveriesController {
  constructor(private readonly replays: DeliveryReplayService) {}

  /** `202`: the event is in the outbox again under a new envelope id; the relay publishes it. */
  @Post(':deliveryId/replay')
  @HttpCode(202)
  replay(@Param('deliveryId') deliveryId: string) {
    return this.replays.replay(deliveryId);
  }
}
