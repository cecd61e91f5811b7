/**
 * Large-type mode: body.large-type scales the type-scale variables in styles.css (for an operator
 * reading the console from 2 m or more). Remembered per browser in localStorage, so a console
 * reopened on the same machine comes back the way the operator left it.
 */
import { useEffect, useState } from 'react';

const STORAGE_KEY = 'cyclorama.largeType';

function remembered(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false; // storage blocked: the mode still works for this page
  }
}

export function LargeTypeToggle() {
  const [on, setOn] = useState(remembered);
  useEffect(() => {
    document.body.classList.toggle('large-type', on);
    try {
      localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
    } catch {
      // storage blocked: nothing to remember it in
    }
  }, [on]);
  return (
    <button
      type="button"
      className={`button button--small health-button${on ? ' is-active' : ''}`}
      aria-pressed={on}
      data-testid="large-type-toggle"
      onClick={() => setOn((v) => !v)}
      title={on ? 'Large type is on: click for the normal size' : 'Large type: larger text for reading at a distance'}
      aria-label="Large type"
    >
      {/* Short on purpose: the health strip must fit one line at 1280 px. */}
      Aa{on ? ' ✓' : ''}
    </button>
  );
}
