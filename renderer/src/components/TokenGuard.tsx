/**
 * Keeps a remote console's access token current. The page was opened as
 * `...?token=T`, and the WebSocket (re)connects with the token in the page's URL:
 * - This console rotated the token: the engine keeps this connection and shows the
 *   new token in its state; it goes into the page's URL at once, so the next
 *   reconnect or a reload still gets in.
 * - Another console rotated it: the engine closed this one (code 4001). Retrying
 *   with the old token can never work, so say so plainly and ask for the new one.
 * Local consoles and the app (no token in the URL) never see any of this.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useConsoleSnapshot } from '../engine-context.js';
import { pageToken, setPageToken } from '../transport.js';

export function TokenGuard({ onTokenRevoked }: { onTokenRevoked: (listener: () => void) => void }) {
  const { state, connection } = useConsoleSnapshot();
  const [revoked, setRevoked] = useState(false);
  const [entered, setEntered] = useState('');

  useEffect(() => onTokenRevoked(() => setRevoked(true)), [onTokenRevoked]);

  // Our own rotation: adopt the new token.
  const current = state?.control?.token ?? null;
  useEffect(() => {
    const token = pageToken();
    if (token !== null && current && current !== token) setPageToken(current);
  }, [current]);

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
          The engine was given a new access token, so this console was disconnected. The wall keeps running. Enter the new token (shown in
          the engine's console, Control panel) to reconnect.
        </p>
        <input className="input" aria-label="New access token" autoFocus autoComplete="off" spellCheck={false} value={entered} onChange={(e) => setEntered(e.target.value)} />
        <button type="submit" className="button" disabled={!entered.trim()}>
          Reconnect
        </button>
      </form>
    </div>
  );
}
