/** Expected failures are values, not exceptions (CONTRIBUTING.md): a model that will not load is a Result. */
import type { EngineError } from '../contract/errors.js';

export type Result<T> = { ok: true; value: T } | { ok: false; error: EngineError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: EngineError): Result<T> => ({ ok: false, error });
