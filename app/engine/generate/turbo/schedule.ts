/**
 * The one-step noise schedule of SD-Turbo / SDXL-Turbo (their scheduler config:
 * 1000 training steps, "scaled_linear" betas 0.00085..0.012, epsilon prediction),
 * in the k-diffusion (sigma) form the Euler schedulers of these exports use:
 *
 *   x_t    = x_0 + sigma_t * noise                 (the image-to-image start)
 *   input  = x_t / sqrt(sigma_t^2 + 1)             (UNet `sample`)
 *   x_0'   = x_t - sigma_t * eps                   (epsilon prediction)
 *          = x_t / (s^2+1) - s * v / sqrt(s^2+1)   (v prediction)
 *
 * A folder's `scheduler/scheduler_config.json` overrides the defaults.
 */
export interface NoiseSchedule {
  numTrainTimesteps: number;
  betaStart: number;
  betaEnd: number;
  betaSchedule: 'scaled_linear' | 'linear';
  predictionType: 'epsilon' | 'v_prediction';
}

export const TURBO_SCHEDULE: NoiseSchedule = {
  numTrainTimesteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
  betaSchedule: 'scaled_linear',
  predictionType: 'epsilon',
};

/** Reads the fields Cyclorama uses from a diffusers scheduler_config.json object; unknown values keep the defaults. */
export function scheduleFromConfig(config: Record<string, unknown>): NoiseSchedule {
  const num = (key: string, fallback: number) => (typeof config[key] === 'number' ? (config[key] as number) : fallback);
  const betaSchedule = config.beta_schedule === 'linear' ? 'linear' : 'scaled_linear';
  const predictionType = config.prediction_type === 'v_prediction' ? 'v_prediction' : 'epsilon';
  return {
    numTrainTimesteps: num('num_train_timesteps', TURBO_SCHEDULE.numTrainTimesteps),
    betaStart: num('beta_start', TURBO_SCHEDULE.betaStart),
    betaEnd: num('beta_end', TURBO_SCHEDULE.betaEnd),
    betaSchedule,
    predictionType,
  };
}

/** Cumulative products of (1 - beta), one per training timestep. */
export function alphasCumprod(schedule: NoiseSchedule): Float64Array {
  const n = schedule.numTrainTimesteps;
  const out = new Float64Array(n);
  let product = 1;
  for (let i = 0; i < n; i++) {
    const f = n === 1 ? 0 : i / (n - 1);
    const beta =
      schedule.betaSchedule === 'scaled_linear'
        ? (Math.sqrt(schedule.betaStart) + (Math.sqrt(schedule.betaEnd) - Math.sqrt(schedule.betaStart)) * f) ** 2
        : schedule.betaStart + (schedule.betaEnd - schedule.betaStart) * f;
    product *= 1 - beta;
    out[i] = product;
  }
  return out;
}

/**
 * The timestep and sigma for an image-to-image strength in (0, 1]: strength 1 is
 * the last training step (pure noise: text-to-image), 0.5 the middle one. The
 * StreamDiffusion approach: one step from the previous frame noised to this level.
 */
export function stepForStrength(schedule: NoiseSchedule, cumprod: Float64Array, strength: number): { timestep: number; sigma: number } {
  const s = Math.min(1, Math.max(0.01, strength));
  const timestep = Math.max(1, Math.min(schedule.numTrainTimesteps - 1, Math.round(s * schedule.numTrainTimesteps) - 1));
  const a = cumprod[timestep] as number;
  return { timestep, sigma: Math.sqrt((1 - a) / a) };
}
