/** Entry points: a compressor for a tag configuration, fresh or restored from a snapshot. */
import type { TagConfig } from '../types.js';
import { AnalogCompressor } from './analog.js';
import { DiscreteCompressor } from './discrete.js';
import { LosslessCompressor } from './lossless.js';
import { analogSettings } from './settings.js';
import type { Compressor, CompressorState } from './types.js';

export function createCompressor(config: TagConfig): Compressor {
  return make(config);
}

/** Continues where snapshot() left off. Throws if the state is malformed or from another tag kind. */
export function restoreCompressor(config: TagConfig, state: CompressorState): Compressor {
  return make(config, state);
}

function make(config: TagConfig, state?: CompressorState): Compressor {
  switch (config.kind) {
    case 'analog': return analog(config, state);
    case 'discrete':
    case 'text': return new DiscreteCompressor(config.name, config.kind, state);
    default: throw new Error(`tag '${config.name}': kind must be 'analog', 'discrete' or 'text', got ${JSON.stringify(config.kind)}`);
  }
}

/** A lossless tag's compressor is LosslessCompressor, unless its restored state is not one it leaves. */
function analog(config: TagConfig, state?: CompressorState): Compressor {
  const settings = analogSettings(config);
  if (settings.kind !== 'none') return new AnalogCompressor(config.name, settings, state);
  if (state === undefined) return new LosslessCompressor(config.name, settings);
  const restored = new AnalogCompressor(config.name, settings, state); // checks the state, with its errors
  return LosslessCompressor.fromState(config.name, settings, restored.snapshot()) ?? restored;
}
