/**
 * The console layout: status strip on top, program monitor with the prompt bar
 * under it on the left, show controls and alerts on the right. Also where the
 * keyboard shortcuts are bound, so each key and its button call the same thing.
 */
import { useCallback, useRef, useState } from 'react';
import { AlertList } from './components/AlertList.js';
import { OutputsPanel } from './components/OutputsPanel.js';
import { CueList } from './components/CueList.js';
import { ShowMenu } from './components/ShowMenu.js';
import { Timeline } from './components/Timeline.js';
import { GoButton } from './components/GoButton.js';
import { PanicControls } from './components/PanicControls.js';
import { PanicBanner } from './components/PanicBanner.js';
import { StaleBanner } from './components/StaleBanner.js';
import { StandbyLine } from './components/StandbyLine.js';
import { ProgramMonitor } from './components/ProgramMonitor.js';
import { PromptBar } from './components/PromptBar.js';
import { SeedField } from './components/SeedField.js';
import { StatusStrip } from './components/StatusStrip.js';
import { HealthStrip } from './components/HealthStrip.js';
import { PreflightButton, PreflightPanel } from './components/PreflightPanel.js';
import { PreviewMonitor } from './components/PreviewMonitor.js';
import { InputMonitor } from './components/InputMonitor.js';
import { InputsPanel } from './components/InputsPanel.js';
import { ModelsButton, ModelsPanel } from './components/ModelsPanel.js';
import { useConsoleSnapshot, useEngine } from './engine-context.js';
import { useShortcuts } from './shortcuts.js';

export function App() {
  const { store } = useEngine();
  const { connection, state, pendingCommands, stale } = useConsoleSnapshot();
  const panic = state?.program.panic ?? 'none';
  const promptRef = useRef<HTMLInputElement>(null);
  const seedRef = useRef<HTMLInputElement>(null);
  const disconnected = connection !== 'open';

  const go = useCallback(() => void store.send({ type: 'go' }), [store]);
  // Black fades over the show's panic fade (settings.panicFadeMs).
  const black = useCallback(() => void store.send({ type: 'panic', mode: 'black', fadeMs: store.getSnapshot().state?.show?.document.settings.panicFadeMs ?? 0 }), [store]);
  const freeze = useCallback(() => void store.send({ type: 'panic', mode: 'freeze' }), [store]);
  const restore = useCallback(() => void store.send({ type: 'restore' }), [store]);
  const back = useCallback(() => void store.send({ type: 'back' }), [store]);
  const safePlate = useCallback(() => void store.send({ type: 'panic', mode: 'safe-plate' }), [store]);
  const [modelsOpen, setModelsOpen] = useState(false);
  const closeModels = useCallback(() => setModelsOpen(false), []);
  const [preflightOpen, setPreflightOpen] = useState(false);
  const closePreflight = useCallback(() => setPreflightOpen(false), []);
  const preflight = useCallback(() => {
    setPreflightOpen(true);
    void store.send({ type: 'preflight' });
  }, [store]);
  /** Moves the standby up or down the cue list without firing. */
  const moveStandby = useCallback(
    (step: number) => {
      const show = store.getSnapshot().state?.show;
      if (!show) return;
      const cues = show.document.cues;
      const index = cues.findIndex((c) => c.id === show.standbyCueId);
      const next = cues[index < 0 ? (step > 0 ? 0 : cues.length - 1) : index + step];
      if (next) void store.send({ type: 'standby', cueId: next.id });
    },
    [store],
  );

  useShortcuts({
    go,
    black,
    freeze,
    restore,
    back,
    safePlate,
    standbyPrevious: () => moveStandby(-1),
    standbyNext: () => moveStandby(1),
    focusPrompt: () => promptRef.current?.select(),
    focusSeed: () => seedRef.current?.select(),
    preflight,
  });

  return (
    <div className={`console${panic !== 'none' ? ` is-panic is-panic--${panic}` : ''}${stale ? ' is-stale' : ''}`} data-panic={panic}>
      <StatusStrip />
      <HealthStrip>
        <PreflightButton onRun={preflight} disabled={disconnected} />
        <ModelsButton onOpen={() => setModelsOpen((o) => !o)} disabled={disconnected} />
      </HealthStrip>
      <PreflightPanel open={preflightOpen} onClose={closePreflight} />
      <ModelsPanel open={modelsOpen} onClose={closeModels} />
      <main className="program-column">
        <StaleBanner />
        <PanicBanner />
        <ShowMenu disabled={disconnected} />
        <div className="monitors">
          <InputMonitor />
          <PreviewMonitor />
          <ProgramMonitor />
        </div>
        <PromptBar inputRef={promptRef} />
        <Timeline disabled={disconnected} />
      </main>
      <aside className="control-column">
        <GoButton onGo={go} disabled={disconnected} />
        <StandbyLine />
        <PanicControls panic={state?.program.panic} disabled={disconnected} onBlack={black} onFreeze={freeze} onRestore={restore} onSafePlate={safePlate} />
        <CueList onBack={back} disabled={disconnected} />
        <SeedField inputRef={seedRef} />
        <InputsPanel />
        <OutputsPanel />
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
