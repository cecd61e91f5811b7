/**
 * Display output windows (app/main/display-windows.ts) with stand-ins for
 * Electron's screen and BrowserWindow (tests/helpers/electron-stand-ins.ts): each
 * output on the display it asked for (label, "x,y", or the first non-primary one),
 * closed when its display is unplugged and reopened when it is back, resized with
 * it, closed when the output goes, and reconnected after an engine restart.
 */
import { describe, expect, it } from 'vitest';
import { chooseDisplay, DisplayWindows, readDisplaysReport } from '../../../app/main/display-windows.js';
import { display, FakeOutputWindow, FakeScreen } from '../../helpers/electron-stand-ins.js';

function setup() {
  const screen = new FakeScreen([display(1, 'Built-in', 0), display(2, 'DELL U2720Q', 1920), display(3, 'LED processor', 3840)], 1);
  const windows: FakeOutputWindow[] = [];
  const connected: string[] = [];
  const logs: string[] = [];
  const displayWindows = new DisplayWindows<FakeOutputWindow>({
    screen,
    createWindow: (output, on) => {
      const window = new FakeOutputWindow(output.id, on.bounds);
      windows.push(window);
      return window;
    },
    connect: (id) => connected.push(id),
    log: (line) => logs.push(line),
  });
  return { screen, windows, connected, logs, displayWindows };
}

describe('chooseDisplay', () => {
  const displays = [display(1, 'Built-in', 0), display(2, 'DELL', 1920), display(3, 'DELL', 3840, 0)];
  it('by label, by "x,y" position (labels may repeat), else the first that is not the primary', () => {
    expect(chooseDisplay('DELL', displays, displays[0]!)?.id).toBe(2);
    expect(chooseDisplay('3840,0', displays, displays[0]!)?.id).toBe(3);
    expect(chooseDisplay(' 3840 , 0 ', displays, displays[0]!)?.id).toBe(3);
    expect(chooseDisplay(undefined, displays, displays[0]!)?.id).toBe(2);
    expect(chooseDisplay('Projector', displays, displays[0]!)).toBeNull();
    expect(chooseDisplay(undefined, [displays[0]!], displays[0]!)).toBeNull();
  });
});

describe('DisplayWindows with stand-ins for Electron screen and BrowserWindow', () => {
  it('opens each output on its display and closes the windows of outputs that went', () => {
    const { windows, displayWindows } = setup();
    displayWindows.update([
      { id: 'a', name: 'Stage', display: 'LED processor' },
      { id: 'b', name: 'Side' },
    ]);
    expect(displayWindows.placements()).toEqual(
      new Map([
        ['a', 3],
        ['b', 2],
      ]),
    );
    expect(windows.find((w) => w.outputId === 'a')?.bounds).toEqual({ x: 3840, y: 0, width: 1920, height: 1080 });
    displayWindows.update([{ id: 'a', name: 'Stage', display: 'LED processor' }]);
    expect(windows.find((w) => w.outputId === 'b')?.destroyed).toBe(true);
    expect(windows.filter((w) => w.outputId === 'a')).toHaveLength(1);
  });

  it('waits for a display that is not connected, closes on unplug, reopens on replug, follows a move', () => {
    const { screen, windows, logs, displayWindows } = setup();
    displayWindows.update([
      { id: 'p', name: 'Projector out', display: 'Projector' },
      { id: 'l', name: 'LED', display: 'LED processor' },
    ]);
    expect(logs.join('\n')).toMatch(/output p \("Projector out"\): display "Projector" not connected; waiting for it/);
    expect(displayWindows.placements().has('p')).toBe(false);
    screen.plug(display(4, 'Projector', 5760));
    expect(displayWindows.placements().get('p')).toBe(4);
    screen.unplug(3);
    expect(windows.find((w) => w.outputId === 'l')?.destroyed).toBe(true);
    expect(displayWindows.placements().has('l')).toBe(false);
    screen.plug(display(3, 'LED processor', 3840));
    expect(displayWindows.placements().get('l')).toBe(3);
    screen.move(4, { x: 5760, y: 0, width: 1280, height: 720 });
    expect(windows.filter((w) => w.outputId === 'p').at(-1)?.bounds).toEqual({ x: 5760, y: 0, width: 1280, height: 720 });
  });

  it('asks every window for a new port after an engine restart, and closes all on quit', () => {
    const { windows, connected, displayWindows } = setup();
    displayWindows.update([
      { id: 'a', name: 'A' },
      { id: 'b', name: 'B', display: '3840,0' },
    ]);
    displayWindows.reconnectAll();
    expect(connected.sort()).toEqual(['a', 'b']);
    displayWindows.closeAll();
    expect(windows.every((w) => w.destroyed)).toBe(true);
    expect(displayWindows.placements().size).toBe(0);
  });

  it('reads only well-formed display reports from the engine', () => {
    expect(readDisplaysReport({ type: 'displays', outputs: [{ id: 'a', name: 'A' }] })).toEqual([{ id: 'a', name: 'A' }]);
    expect(readDisplaysReport({ type: 'displays', outputs: [{ id: 'x'.repeat(41), name: 'A' }] })).toBeNull();
    expect(readDisplaysReport({ type: 'program', prompt: 'p', seed: 1 })).toBeNull();
  });
});
