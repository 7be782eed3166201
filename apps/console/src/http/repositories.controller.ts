import { Controller, Get } from '@nestjs/common';
import { RepositoriesAdmin } from '../application/repositories-admin';
import type { Viewer } from '../application/sign-in.service';
import type { RepositoriesView } from '../shared/console-api';
import { CurrentViewer, Requires } from './access';
import { refusals } from './admin.controller';

/** The repositories an admin administers, with who has which role in each. */
@Controller('api/admin/repositories')
export class RepositoriesController {
  constructor(private readonly repositories: RepositoriesAdmin) {}

  @Requires('admin')
  @Get()
  list(@CurrentViewer() viewer: Viewer): Promise<RepositoriesView> {
    return refusals(() => this.repositories.list(viewer));
  }
}
