/**
 * `fluence-enrich/sandbox`: the local stand-in for the Fluence API (tests, demos, trying the tool
 * without a key). An entry of its own, so importing the library never loads the sandbox.
 */
export { startSandbox, type Sandbox, type SandboxOptions } from './server.js';
export { DEMO_KEYS, type KeySpec } from './keys.js';
