/**
 * Asks for a new access token when this console lost its own. The page was opened
 * as `...?token=T` once; the token then lives in the tab (transport.ts), not the URL.
 * - This console rotated the token: the engine keeps this connection and returns the
 *   new token in the rotation's reply (RemoteControl keeps it for this tab).
 * - Another console rotated it: the engine closed this one (code 4001). Retrying
 *   with the old token can never work, so say so plainly and ask for the new one.
 * Local consoles without a token and the app never see any of this.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useConsoleSnapshot } from '../engine-context.js';
import { setPageToken } from '../transport.js';

export function TokenGuard({ onTokenRevoked }: { onTokenRevoked: (listener: () => void) => void }) {
  const { connection } = useConsoleSnapshot();
  const [revoked, setRevoked] = useState(false);
  const [entered, setEntered] = useState('');

  useEffect(() => onTokenRevoked(() => setRevoked(true)), [onTokenRevoked]);

  // Back in with a good token: nothing to ask.
  useEffect(() => {
    if (connection === 'open') setRevoked(false);
  }, [connection]);

  if (!revoked || connection === 'open') return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = entered.trim();
    if (!token) return;
    setPageToken(token); // the bridge's next retry (within a few seconds) uses it
    setEntered('');
  };
  return (
    <div className="token-guard" role="alertdialog" aria-labelledby="token-guard-title" data-testid="token-guard">
      <form className="token-guard-box" onSubmit={submit}>
        <h2 id="token-guard-title">Access token rotated</h2>
        <p>
          The engine was given a new access token, so this console was disconnected. The wall keeps running. Enter the new token (shown in the engine's console, Control panel) to
          reconnect.
        </p>
        <input className="input" aria-label="New access token" autoFocus autoComplete="off" spellCheck={false} value={entered} onChange={(e) => setEntered(e.target.value)} />
        <button type="submit" className="button" disabled={!entered.trim()}>
          Reconnect
        </button>
      </form>
    </div>
  );
}
