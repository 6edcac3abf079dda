export { createCompressor, restoreCompressor } from './compressor.js';
export type { Compressor, CompressorState, StateSink } from './types.js';
