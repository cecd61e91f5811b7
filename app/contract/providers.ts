/** Execution providers Cyclorama knows, best first. Pure list shared by every process. */
export const EXECUTION_PROVIDER_NAMES = ['tensorrt', 'cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ExecutionProviderName = (typeof EXECUTION_PROVIDER_NAMES)[number];
