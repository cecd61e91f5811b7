/**
 * Where every command goes: one table from each contract command type
 * (contract/commands.ts) to the part of the engine that applies it. The table is
 * checked against the schema, so a command added to the contract without a route
 * here is a compile error; adding a command means the schema plus one line here.
 *
 * A handler's reply says what happened: most commands are applied at once, while
 * `loadModel` replies when the new model is live or has failed (the wall stays on
 * the running one). The show commands all go to the show session, which keeps its
 * file commands (open, save, recover, undo) and hands operator actions to the pure
 * reducer in app/show/show-state.ts.
 */
import type { Command, CommandType } from '../contract/commands.js';
import type { CommandResult } from '../contract/connection.js';
import { engineError } from '../contract/errors.js';
import type { ExecutionProviderName } from '../contract/providers.js';
import type { RecordingSettings } from '../contract/recording.js';
import { selectOutput, type OutputGroups } from './outputs/output-commands.js';
import type { Result } from './result.js';

export type CommandOf<K extends CommandType> = Extract<Command, { type: K }>;

/** Applies one kind of command; `receivedAtMs` is when it reached the engine (engine clock, for TTFF). */
export type Handler<K extends CommandType> = (command: CommandOf<K>, receivedAtMs: number) => CommandResult | Promise<CommandResult>;

export type CommandRoutes = { readonly [K in CommandType]: Handler<K> };

/** The parts commands are routed to (the engine builds this from its parts). */
export interface CommandTargets {
  /** The show session: cue list, timeline, show file, panic, live prompt; the program it owns changes with them. */
  show: (command: Command, receivedAtMs: number) => CommandResult;
  /** Opens a show file off the engine thread (async read, large files parsed in a worker); resolves when it is open or refused. */
  openShow: (path: string) => Promise<CommandResult>;
  /** A fresh state snapshot to every console. */
  publishState: () => void;
  /** The live model's switch; resolves when it is live or failed. */
  switchModel: (dir: string, provider: ExecutionProviderName | undefined) => Promise<CommandResult>;
  /** Starts the show-ready checks (the report follows in the state). */
  preflight: () => CommandResult;
  /** The NDI and display outputs. */
  outputs: OutputGroups;
  /** An output command was applied (saves the rig when it succeeded, publishes the state); its reply. */
  outputChanged: (result: Result<unknown>) => CommandResult;
  /** A short find of NDI sources for the input picker; resolves when it is done (ndi/ndi-source-list.ts). */
  listNdiSources: (timeoutMs: number | undefined) => Promise<CommandResult>;
  /** The model library (models/library.ts): list, download, import, remove, licences. Never the running show. */
  models: ModelTargets;
  /** The machine's timecode inputs (timecode/timecode-chase.ts): saved in timecode.json, the reader reopened. */
  timecodeInputs: (patch: Omit<CommandOf<'setTimecodeInputs'>, 'type'>) => CommandResult;
  /** Cluster: holds an action for its instant, once per id (cluster/command-scheduler.ts). */
  schedule: (command: CommandOf<'scheduled'>) => CommandResult;
  /** Cluster: this node's clocks now, for the director's offset check. */
  clockProbe: () => CommandResult;
  /** Cluster director (cluster/director.ts): nodes added and removed by address, and the node side of the show push. */
  cluster: {
    addNode: (command: CommandOf<'addClusterNode'>) => CommandResult;
    removeNode: (name: string) => CommandResult;
    showPart: (command: CommandOf<'clusterShowPart'>) => CommandResult;
  };
  /** A full-resolution PNG of the program into the operator's folder (stills/still-writer.ts); replies when it is written or refused. */
  saveStill: (folder: string) => Promise<CommandResult>;
  /** Recording to video files (recording/recorder.ts): start replies when the encoder runs or the start is refused, stop when the file is finished. */
  recording: {
    start: (choice: Partial<RecordingSettings>) => Promise<CommandResult>;
    stop: () => Promise<CommandResult>;
  };
}

/** What the library's commands reach; each replies with what happened (a download's progress follows in the state). */
export interface ModelTargets {
  list: () => Promise<CommandResult>;
  pull: (name: string) => Promise<CommandResult>;
  cancel: (name: string) => CommandResult;
  importFolder: (dir: string, name: string | undefined) => CommandResult;
  remove: (name: string) => Promise<CommandResult>;
  acceptLicence: (name: string) => CommandResult;
}

export function commandRoutes(to: CommandTargets) {
  const show = to.show;
  return {
    // The live program and the show session (show-files/show-session.ts).
    setPrompt: show,
    setSeed: show,
    // The live look's input: a live edit like setPrompt (show/program.ts).
    setInput: show,
    go: show,
    back: show,
    fireCue: show,
    standby: show,
    panic: show,
    restore: show,
    addCue: show,
    updateCue: show,
    deleteCue: show,
    moveCue: show,
    updateCues: show,
    renumberCues: show,
    addKeyframe: show,
    updateKeyframe: show,
    deleteKeyframe: show,
    updateTimeline: show,
    updateShow: show,
    timelinePlay: show,
    timelinePause: show,
    timelineStop: show,
    timelineSeek: show,
    timelineRate: show,
    undo: show,
    redo: show,
    newShow: show,
    openShow: ({ path }) => to.openShow(path),
    saveShow: show,
    recoverShow: show,
    discardRecovery: show,
    exportWallLog: show,
    getState: () => {
      to.publishState();
      return { ok: true };
    },
    // The live model (live-model.ts): replies when the switch is done.
    loadModel: ({ dir, provider }) => to.switchModel(dir, provider),
    // Preflight (preflight/preflight-runner.ts).
    preflight: () => to.preflight(),
    // Outputs (outputs/ndi-outputs.ts, display-outputs.ts, output-commands.ts).
    addNdiOutput: ({ type: _type, ...spec }) => to.outputChanged(to.outputs.ndi.add(spec)),
    updateNdiOutput: ({ type: _type, id, ...patch }) => to.outputChanged(to.outputs.ndi.update(id, patch)),
    removeNdiOutput: ({ id }) => to.outputChanged(to.outputs.ndi.remove(id)),
    addDisplayOutput: ({ type: _type, ...spec }) => to.outputChanged(to.outputs.displays.add(spec)),
    removeDisplayOutput: ({ id }) => to.outputChanged(to.outputs.displays.remove(id)),
    selectOutput: ({ output, live }) => to.outputChanged(selectOutput(to.outputs, output, live)),
    // Live inputs: NDI sources for the picker (state.ndiSources).
    listNdiSources: ({ timeoutMs }) => to.listNdiSources(timeoutMs),
    // The model library (models/library.ts): downloads run beside the show and report in state.models.
    listModels: () => to.models.list(),
    pullModel: ({ name }) => to.models.pull(name),
    cancelPull: ({ name }) => to.models.cancel(name),
    importModel: ({ dir, name }) => to.models.importFolder(dir, name),
    removeModel: ({ name }) => to.models.remove(name),
    acceptLicence: ({ name }) => to.models.acceptLicence(name),
    // Timecode chase: which port carries MTC/LTC on this machine (the chase settings are the show's: updateShow).
    setTimecodeInputs: ({ type: _type, ...patch }) => to.timecodeInputs(patch),
    // Cluster (contract/cluster.ts): a director's scheduled actions and clock probes.
    // Faders (contract/levels.ts): applied by the show session like live edits; selectInput counts through the show's inputs and the NDI sources found.
    setMasterLevel: show,
    setStrength: show,
    setTransitionTime: show,
    crossfade: show,
    selectInput: show,
    scheduled: (command) => to.schedule(command),
    clockProbe: () => to.clockProbe(),
    addClusterNode: (command) => to.cluster.addNode(command),
    removeClusterNode: ({ name }) => to.cluster.removeNode(name),
    clusterShowPart: (command) => to.cluster.showPart(command),
    // Recording to video files (contract/recording.ts).
    startRecording: ({ type: _type, ...choice }) => to.recording.start(choice),
    stopRecording: () => to.recording.stop(),
    // Access token rotation is answered by the control plane (control/client-hub.ts), which
    // knows the connection that asked; it reaches the engine only where there is none.
    rotateToken: () => ({ ok: false, error: engineError('show-edit', 'Network control is not available here: there is no token to rotate.') }),
    // MIDI learn (contract/midi.ts) is answered by the control plane's sources (control/control-sources.ts),
    // which own the MIDI ports and control.json; an engine running without them refuses it.
    listMidiPorts: noMidiControl,
    setMidiPorts: noMidiControl,
    midiLearn: noMidiControl,
    midiCancelLearn: noMidiControl,
    midiRemoveMapping: noMidiControl,
    // Stills (stills/still-writer.ts): replies with the file written.
    saveStill: ({ folder }) => to.saveStill(folder),
    // The client preview link is the console server's (control/viewer-links.ts, via the hub's control plane); without one there is none.
    createViewerLink: () => ({ ok: false, error: engineError('show-edit', 'The client preview link needs the console server: start the engine with network control (--host).') }),
    revokeViewerLink: () => ({ ok: false, error: engineError('show-edit', 'There is no client preview link here: the engine runs without its console server.') }),
  } satisfies CommandRoutes;
}

const noMidiControl = (): CommandResult => ({
  ok: false,
  error: engineError('input-failed', 'MIDI control is not available here: this engine runs without its control sources (start it with "cyclorama serve" or the app).'),
});

/** Applies `command` through its route. */
export function routeCommand(routes: CommandRoutes, command: Command, receivedAtMs: number): CommandResult | Promise<CommandResult> {
  // One lookup; TypeScript cannot tie routes[command.type] to command's own type, the table's type does.
  const handler = routes[command.type] as Handler<CommandType>;
  return handler(command as never, receivedAtMs);
}
