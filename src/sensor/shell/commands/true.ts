import type { Command } from '../command.js';

export const trueCommand: Command = {
  path: '/usr/bin/true',
  run() {
    return 0;
  },
};

export const falseCommand: Command = {
  path: '/usr/bin/false',
  run() {
    return 1;
  },
};
