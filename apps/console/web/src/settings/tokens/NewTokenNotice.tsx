import { useState } from 'react';
import type { CreatedApiToken } from '../../../../src/shared/console-api';

/** A new token's secret, shown this once (ingress keeps only its hash), with a copy button. */
export function NewTokenNotice({ token }: { token: CreatedApiToken }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div role="status" className="new-token">
      <p>
        Token <strong>{token.name}</strong> made. Copy it now: it is not shown again. Use it as{' '}
        <code>Authorization: Bearer …</code> or <code>HORIZON_API_TOKEN</code>.
      </p>
      <p>
        <code className="invite-link" aria-label="The new token">
          {token.token}
        </code>{' '}
        <button type="button" onClick={copy}>
          Copy token
        </button>{' '}
        {copied === 'yes' && <span>Copied.</span>}
        {copied === 'failed' && <span>The browser refused to copy; select the token and copy it.</span>}
      </p>
    </div>
  );
}
