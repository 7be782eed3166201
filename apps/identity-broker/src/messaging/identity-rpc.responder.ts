import {
  identityCompleteOAuth,
  identityCompleteSignIn,
  identityGet,
  identityIntegrationStatus,
  identityLink,
  identityList,
  identityMintRunToken,
  identityResolve,
  identityRevokeRunToken,
  identitySignInMethods,
  identityStartOAuth,
  identityStartSignIn,
  identityUnlink,
  identityUserToken,
} from '@horizon/contracts';
import type { RpcServer } from '@horizon/messaging';
import type { IdentityBroker } from '../application/identity-broker';

/** Answers `hzn.rpc.identity.*`: each contract's request goes to its use case. */
export function serveIdentityRpcs(rpc: RpcServer, broker: IdentityBroker): void {
  rpc.serve(identityResolve, (d) => broker.resolve(d));
  rpc.serve(identityGet, (d) => broker.get(d));
  rpc.serve(identityList, () => broker.list());
  rpc.serve(identityLink, (d) => broker.link(d));
  rpc.serve(identityUnlink, (d) => broker.unlink(d));
  rpc.serve(identityIntegrationStatus, () => broker.integrationStatus());
  rpc.serve(identityStartOAuth, (d) => broker.startOAuth(d));
  rpc.serve(identityCompleteOAuth, (d) => broker.completeOAuth(d));
  rpc.serve(identitySignInMethods, (d) => broker.signIn.methods(d));
  rpc.serve(identityStartSignIn, (d) => broker.signIn.start(d));
  rpc.serve(identityCompleteSignIn, (d) => broker.signIn.complete(d));
  rpc.serve(identityMintRunToken, (d) => broker.mintRunToken(d));
  rpc.serve(identityRevokeRunToken, (d) => broker.revokeRunToken(d));
  rpc.serve(identityUserToken, (d) => broker.userToken(d));
}
