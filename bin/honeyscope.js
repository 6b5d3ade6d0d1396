#!/usr/bin/env node
// The entry point stays plain JS so `npx honeyscope` works from the built dist/ without a loader.
import { main } from '../dist/cli/main.js';

await main(process.argv);
