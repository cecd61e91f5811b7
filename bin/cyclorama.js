#!/usr/bin/env node
// The `cyclorama` bin: the compiled CLI (run `npm run build` first).
import '../dist/app/cli.js';
