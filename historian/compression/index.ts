export { createCompressor, restoreCompressor } from './compressor.js';
export type { Compressor, CompressorState } from './types.js';
