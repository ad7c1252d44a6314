#!/usr/bin/env node
// Signals are handled before the rest loads (a few hundred ms): a stop then is clean, not a crash.
import { installEarlySignalHandlers } from '../commands/signals.js';

installEarlySignalHandlers();
await import('./main.js');
