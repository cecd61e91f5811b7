// Timers exist in every runtime the pure folders run in (browser, Node, workers);
// declared here so app/tsconfig.pure.json can leave out both DOM and Node types.
declare function setTimeout(handler: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
