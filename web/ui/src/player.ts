import { h } from './dom';

/** One output frame of an asciicast v2 recording. */
interface Frame {
  time: number;
  data: string;
}

export interface Recording {
  width: number;
  height: number;
  frames: Frame[];
}

/** Parses asciicast v2: a JSON header line, then `[time, "o", data]` lines; other lines are skipped. */
export function parseAsciicast(text: string): Recording {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = JSON.parse(lines[0] ?? '{}') as { version?: number; width?: number; height?: number };
  if (header.version !== 2) throw new SyntaxError(`Cannot play recording: expected asciicast version 2, got ${String(header.version)}`);
  const frames: Frame[] = [];
  for (const line of lines.slice(1)) {
    const parsed = JSON.parse(line) as unknown;
    if (Array.isArray(parsed) && typeof parsed[0] === 'number' && parsed[1] === 'o' && typeof parsed[2] === 'string') frames.push({ time: parsed[0], data: parsed[2] });
  }
  return { width: header.width ?? 80, height: header.height ?? 24, frames };
}

// CSI, OSC and two-byte escapes: a <pre> cannot show them, so they are dropped.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]/g;

/** Applies terminal output to plain text: escapes dropped, backspace and carriage return honoured. */
export function applyOutput(screen: string, data: string): string {
  let out = screen;
  for (const ch of data.replace(ESCAPES, '')) {
    if (ch === '\b') out = out.endsWith('\n') ? out : out.slice(0, -1);
    else if (ch === '\r') continue;
    else if (ch === '\u0007') continue;
    else out += ch;
  }
  return out;
}

const MAX_PAUSE_S = 2;

/** A player that writes frames into a <pre> as text, with their timing (long pauses cut to 2 s). */
export function player(recording: Recording): HTMLElement {
  const screen = h('pre', { class: 'terminal', id: 'terminal' });
  const clock = h('span', { class: 'clock' }, '0.0 s');
  const speed = h('select', { name: 'speed' }, h('option', { value: '1' }, '1×'), h('option', { value: '2' }, '2×'), h('option', { value: '8' }, '8×'));
  let index = 0;
  let text = '';
  let timer: number | undefined;

  function step(): void {
    const frame = recording.frames[index];
    if (!frame) {
      timer = undefined;
      play.textContent = 'Replay';
      return;
    }
    text = applyOutput(text, frame.data);
    screen.textContent = text;
    screen.scrollTop = screen.scrollHeight;
    clock.textContent = `${frame.time.toFixed(1)} s`;
    index += 1;
    const next = recording.frames[index];
    const wait = next ? Math.min(MAX_PAUSE_S, Math.max(0, next.time - frame.time)) : 0;
    timer = window.setTimeout(step, (wait * 1000) / Number(speed.value));
  }

  const play = h('button', {
    type: 'button',
    id: 'play',
    on: {
      click: () => {
        if (timer !== undefined) {
          window.clearTimeout(timer);
          timer = undefined;
          play.textContent = 'Play';
          return;
        }
        if (index >= recording.frames.length) {
          index = 0;
          text = '';
        }
        play.textContent = 'Pause';
        step();
      },
    },
  }, 'Play');
  const skip = h('button', {
    type: 'button',
    on: {
      click: () => {
        if (timer !== undefined) window.clearTimeout(timer);
        timer = undefined;
        for (; index < recording.frames.length; index++) text = applyOutput(text, recording.frames[index]?.data ?? '');
        screen.textContent = text;
        play.textContent = 'Replay';
      },
    },
  }, 'To end');
  return h('div', { class: 'player' }, h('div', { class: 'player-controls' }, play, skip, speed, clock, ` ${recording.frames.length} frames, ${recording.width}×${recording.height}`), screen);
}
