/** The typed contract between console, control surfaces and engine. Pure TypeScript + zod. */
export * from './commands.js';
export * from './show.js';
export * from './ndi.js';
export * from './control.js';
export * from './preflight.js';
export * from './display.js';
export * from './outputs.js';
export * from './errors.js';
export * from './state.js';
export * from './providers.js';
export * from './messages.js';
export * from './frame-wire.js';
export * from './thumbnails.js';
export * from './inputs.js';
export * from './input-control.js';
export * from './connection.js';
export * from './client.js';
