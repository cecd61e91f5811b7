/**
 * The console layout: status strip on top, program monitor with the prompt bar
 * under it on the left, show controls and alerts on the right. Also where the
 * keyboard shortcuts are bound, so each key and its button call the same thing.
 */
import { useCallback, useRef } from 'react';
import { AlertList } from './components/AlertList.js';
import { GoButton } from './components/GoButton.js';
import { PanicControls } from './components/PanicControls.js';
import { ProgramMonitor } from './components/ProgramMonitor.js';
import { PromptBar } from './components/PromptBar.js';
import { SeedField } from './components/SeedField.js';
import { StatusStrip } from './components/StatusStrip.js';
import { useConsoleSnapshot, useEngine } from './engine-context.js';
import { useShortcuts } from './shortcuts.js';

export function App() {
  const { store } = useEngine();
  const { connection, state, pendingCommands } = useConsoleSnapshot();
  const promptRef = useRef<HTMLInputElement>(null);
  const seedRef = useRef<HTMLInputElement>(null);
  const disconnected = connection !== 'open';

  const go = useCallback(() => void store.send({ type: 'go' }), [store]);
  const black = useCallback(() => void store.send({ type: 'panic', mode: 'black' }), [store]);
  const freeze = useCallback(() => void store.send({ type: 'panic', mode: 'freeze' }), [store]);
  const restore = useCallback(() => void store.send({ type: 'restore' }), [store]);

  useShortcuts({
    go,
    black,
    freeze,
    restore,
    focusPrompt: () => promptRef.current?.select(),
    focusSeed: () => seedRef.current?.select(),
  });

  return (
    <div className="console">
      <StatusStrip />
      <main className="program-column">
        <ProgramMonitor />
        <PromptBar inputRef={promptRef} />
      </main>
      <aside className="control-column">
        <GoButton onGo={go} disabled={disconnected} />
        <PanicControls panic={state?.program.panic} disabled={disconnected} onBlack={black} onFreeze={freeze} onRestore={restore} />
        <SeedField inputRef={seedRef} />
        <AlertList />
        <footer className="key-help" aria-label="Keyboard">
          <span>
            <kbd className="kbd">Esc</kbd> leaves a text field
          </span>
          <span className={`busy${pendingCommands > 0 ? ' is-busy' : ''}`} aria-live="polite">
            {pendingCommands > 0 ? 'Sending…' : '\u00a0'}
          </span>
        </footer>
      </aside>
    </div>
  );
}
