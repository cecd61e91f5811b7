/**
 * The hotkey map ("?"): every entry of SHORTCUTS (renderer/src/shortcuts.ts), grouped by where it
 * works, so the list can never drift from what the keys do. Esc or the Close button closes it;
 * it is not modal (GO and the panic keys keep working while it is open).
 */
import { useEffect, useRef } from 'react';
import { SHORTCUTS, type ShortcutAction, type ShortcutDef, type ShortcutScope } from '../shortcuts.js';
import { Kbd } from './Kbd.js';
import './hotkey-map.css';

const SCOPE_TITLES: Record<ShortcutScope, string> = {
  console: 'Anywhere (outside a text field)',
  'text field': 'In a text field',
  timeline: 'Timeline (when it has focus)',
  'focused keyframe': 'A focused keyframe (Tab to it)',
  'cue list': 'Cue list (Tab to a cue row; digits anywhere)',
};

export function HotkeyMap({ open, onClose }: { open: boolean; onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      onClose();
    };
    window.addEventListener('keydown', onKey);
    closeRef.current?.focus();
    return () => window.removeEventListener('keydown', onKey);
  }, [open, onClose]);
  if (!open) return null;
  const groups = new Map<ShortcutScope, [ShortcutAction, ShortcutDef][]>();
  for (const [action, def] of Object.entries(SHORTCUTS) as [ShortcutAction, ShortcutDef][]) {
    const scope = def.scope ?? 'console';
    groups.set(scope, [...(groups.get(scope) ?? []), [action, def]]);
  }
  return (
    <div className="hotkey-map" role="dialog" aria-label="Keyboard shortcuts" data-testid="hotkey-map">
      <div className="hotkey-map-head">
        <h2>Keyboard shortcuts</h2>
        <button type="button" className="button button--small" ref={closeRef} onClick={onClose} data-testid="hotkey-map-close">
          Close <Kbd>Esc</Kbd>
        </button>
      </div>
      <div className="hotkey-map-groups">
        {[...groups].map(([scope, entries]) => (
          <section key={scope} className="hotkey-group">
            <h3>{SCOPE_TITLES[scope]}</h3>
            <table>
              <tbody>
                {entries.map(([action, def]) => (
                  <tr key={action} data-testid={`hotkey-${action}`}>
                    <th scope="row">
                      <Kbd>{def.label}</Kbd>
                    </th>
                    <td>{def.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </div>
  );
}

/** The mouse way to the map, with its key cap. */
export function HotkeyMapButton({ onOpen }: { onOpen: () => void }) {
  return (
    <button
      type="button"
      className="button button--small health-button"
      onClick={onOpen}
      data-testid="hotkey-map-button"
      title="Keyboard shortcuts"
      aria-label="Keyboard shortcuts"
    >
      Keys <Kbd>{SHORTCUTS.hotkeyMap.label}</Kbd>
    </button>
  );
}
