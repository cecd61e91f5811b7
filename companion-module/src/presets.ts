/** A Stream Deck page: GO and BACK, cues 1-8 with standby/live colours, panic row, restore. */
import {
  combineRgb,
  type CompanionButtonPresetDefinition,
  type CompanionOptionValues,
  type CompanionPresetDefinitions,
  type CompanionPresetFeedback,
} from '@companion-module/base';

const WHITE = combineRgb(255, 255, 255);
const BLACK = combineRgb(0, 0, 0);

function button(
  category: string,
  text: string,
  bgcolor: number,
  actionId: string,
  options: CompanionOptionValues = {},
  feedbacks: CompanionPresetFeedback[] = [],
): CompanionButtonPresetDefinition {
  return {
    type: 'button',
    category,
    name: text.replace(/\\n/g, ' '),
    style: { text, size: 'auto', color: WHITE, bgcolor },
    feedbacks,
    steps: [{ down: [{ actionId, options }], up: [] }],
  };
}

export function presetDefinitions(): CompanionPresetDefinitions {
  const presets: CompanionPresetDefinitions = {
    go: button('Transport', 'GO', combineRgb(20, 90, 50), 'go'),
    back: button('Transport', 'BACK', combineRgb(50, 50, 60), 'back'),
    black: button('Panic', 'BLACK', combineRgb(60, 0, 0), 'black', { fadeMs: 1000 }, [
      { feedbackId: 'panicActive', options: { mode: 'black' }, style: { bgcolor: combineRgb(200, 140, 0), color: BLACK } },
    ]),
    freeze: button('Panic', 'FREEZE', combineRgb(20, 40, 90), 'freeze', {}, [
      { feedbackId: 'panicActive', options: { mode: 'freeze' }, style: { bgcolor: combineRgb(200, 140, 0), color: BLACK } },
    ]),
    safePlate: button('Panic', 'SAFE\\nPLATE', combineRgb(70, 60, 20), 'safePlate', {}, [
      { feedbackId: 'panicActive', options: { mode: 'safe-plate' }, style: { bgcolor: combineRgb(200, 140, 0), color: BLACK } },
    ]),
    restore: button('Panic', 'RESTORE', combineRgb(40, 40, 40), 'restore'),
    // Rename "Wall A" in the button's action and feedback to one of your outputs.
    outputToggle: button('Outputs', 'WALL A\\nLIVE', combineRgb(20, 60, 40), 'selectOutput', { output: 'Wall A', mode: 'toggle' }, [
      { feedbackId: 'outputBlanked', options: { output: 'Wall A' }, style: { text: 'WALL A\\nBLANKED', bgcolor: combineRgb(200, 140, 0), color: BLACK } },
    ]),
  };
  for (let n = 1; n <= 8; n++) {
    presets[`cue${n}`] = button('Cues', `CUE\\n${n}`, combineRgb(30, 30, 36), 'fireCue', { number: String(n) }, [
      { feedbackId: 'cueStandby', options: { number: String(n) }, style: { bgcolor: combineRgb(20, 110, 60), color: WHITE } },
      { feedbackId: 'cueLive', options: { number: String(n) }, style: { bgcolor: combineRgb(180, 30, 30), color: WHITE } },
    ]);
  }
  return presets;
}
