import { consoleCreateSignInLink } from '@horizon/contracts';
import { RpcServer } from '@horizon/messaging';
import type { SignInService } from '../application/sign-in.service';

/** Answers `hzn.rpc.console.create_sign_in_link`: `horizon console link` and `npm start` ask it. */
export class SignInLinksResponder {
  constructor(
    private readonly rpc: RpcServer,
    private readonly signIn: SignInService,
  ) {}

  onApplicationBootstrap(): void {
    this.rpc.serve(consoleCreateSignInLink, (request) => this.signIn.createLink(request));
  }
}
