import { useId, useState } from 'react';
import type { IdentityList } from '../../../../src/shared/console-api';
import { post } from '../../api/client';
import { useSession } from '../../session/SessionProvider';

type Identity = IdentityList['identities'][number];
type Link = Identity['links'][number];

/**
 * Unlinks one account, behind a confirmation that says what it costs: work asked for by that
 * account is no longer that person's, and signing in with it finds nobody. identity-broker
 * refuses it unless it is the viewer's own account or they are an admin of every repository.
 */
export function UnlinkButton({
  identity,
  link,
  label,
  onUnlinked,
}: {
  identity: Identity;
  link: Link;
  label: string;
  onUnlinked: () => void;
}) {
  const { session } = useSession();
  const id = useId();
  const [step, setStep] = useState<'idle' | 'confirming' | 'sending'>('idle');
  const [error, setError] = useState<string | null>(null);

  const unlink = async () => {
    setStep('sending');
    setError(null);
    try {
      await post(`/api/identities/${identity.id}/unlink`, session.csrfToken, {
        provider: link.provider,
        externalId: link.externalId,
      });
      setStep('idle');
      onUnlinked();
    } catch (err) {
      setStep('confirming');
      setError(`Unlinking ${label} failed: ${(err as Error).message}`);
    }
  };

  if (step === 'idle')
    return (
      <button
        type="button"
        className="danger"
        aria-label={`Unlink ${label} from ${identity.displayName}`}
        onClick={() => setStep('confirming')}
      >
        Unlink
      </button>
    );
  return (
    <div role="dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-what`} className="confirm">
      <p id={`${id}-title`}>
        <strong>
          Unlink {label} from {identity.displayName}?
        </strong>
      </p>
      <p id={`${id}-what`}>
        Work asked for by this account stops being {identity.displayName}’s, its saved sign-in with the
        provider is forgotten, and signing in with it no longer finds them. It can be linked again.
      </p>
      {error && (
        <p role="alert" className="error-notice">
          {error}
        </p>
      )}
      <button type="button" className="danger" disabled={step === 'sending'} onClick={unlink}>
        {step === 'sending' ? 'Unlinking…' : 'Yes, unlink it'}
      </button>{' '}
      <button type="button" disabled={step === 'sending'} onClick={() => setStep('idle')}>
        Keep it
      </button>
    </div>
  );
}
