/**
 * The console layout: status and health strips on top; on the left the show file bar, the monitors,
 * the prompt bar and the timeline; on the right GO, panic and the cue list, then seed, inputs, outputs
 * and alerts (a column of their own on wide screens). Also where the
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
import { TimecodePanel } from './components/TimecodePanel.js';
import { MidiPanel } from './components/MidiPanel.js';
import { ClusterPanel } from './components/ClusterPanel.js';
import { ViewerPanel } from './components/ViewerPanel.js';
import { saveStill } from './stills-folder.js';
import { RecordPanel } from './components/RecordPanel.js';
import { ModelsButton, ModelsPanel } from './components/ModelsPanel.js';
import { useConsoleSnapshot, useEngine } from './engine-context.js';
import { useShortcuts } from './shortcuts.js';
import { HotkeyMap, HotkeyMapButton } from './components/HotkeyMap.js';
import { LargeTypeToggle } from './components/LargeTypeToggle.js';

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
  const [hotkeysOpen, setHotkeysOpen] = useState(false);
  const closeHotkeys = useCallback(() => setHotkeysOpen(false), []);
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
    hotkeyMap: () => setHotkeysOpen((o) => !o),
    still: () => void saveStill(store),
  });

  return (
    <div className={`console${panic !== 'none' ? ` is-panic is-panic--${panic}` : ''}${stale ? ' is-stale' : ''}`} data-panic={panic}>
      <StatusStrip />
      <HealthStrip>
        <PreflightButton onRun={preflight} disabled={disconnected} />
        <ModelsButton onOpen={() => setModelsOpen((o) => !o)} disabled={disconnected} />
      </HealthStrip>
      <HotkeyMap open={hotkeysOpen} onClose={closeHotkeys} />
      <PreflightPanel open={preflightOpen} onClose={closePreflight} />
      <ModelsPanel open={modelsOpen} onClose={closeModels} />
      <main className="program-column">
        <StaleBanner />
        <PanicBanner />
        <div className="program-head">
          <ShowMenu disabled={disconnected} />
          {/* How the console reads: large type and the key map, next to the show it concerns. */}
          <div className="view-tools">
            <LargeTypeToggle />
            <HotkeyMapButton onOpen={() => setHotkeysOpen((o) => !o)} />
          </div>
        </div>
        <div className="monitors">
          <InputMonitor />
          <PreviewMonitor />
          <ProgramMonitor />
        </div>
        <PromptBar inputRef={promptRef} />
        <Timeline disabled={disconnected} />
      </main>
      {/* The side: GO, panic and the cue list first (always on screen); seed, inputs, outputs and alerts
          beside them on wide screens, under them (the side scrolls) on narrower ones. See styles.css. */}
      <div className="side">
        <aside className="control-column" aria-label="Show control">
          <GoButton onGo={go} disabled={disconnected} />
          <StandbyLine />
          <PanicControls panic={state?.program.panic} disabled={disconnected} onBlack={black} onFreeze={freeze} onRestore={restore} onSafePlate={safePlate} />
          <CueList onBack={back} disabled={disconnected} />
        </aside>
        <aside className="aux-column" aria-label="Seed, inputs, outputs and alerts">
          <SeedField inputRef={seedRef} />
          <InputsPanel />
          <TimecodePanel />
          <MidiPanel />
          <ClusterPanel />
          <OutputsPanel />
          <ViewerPanel />
          <RecordPanel />
          <AlertList />
          <footer className="key-help" aria-label="Keyboard">
            <span>
              <kbd className="kbd">?</kbd> all keys · <kbd className="kbd">Esc</kbd> leaves a text field
            </span>
            <span className={`busy${pendingCommands > 0 ? ' is-busy' : ''}`} aria-live="polite">
              {pendingCommands > 0 ? 'Sending…' : '\u00a0'}
            </span>
          </footer>
        </aside>
      </div>
    </div>
  );
}
