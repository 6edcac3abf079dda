/**
 * The one place where the store meets H1's block codec and compressors, so
 * that a change of either touches one import.
 */
export { BLOCK_VERSION, ColumnBuffer, blockBytesAtLeast, decodeBlock, decodeBlockInto, decodeSeqs, blockColumns, encodeBlock, encodeBlockColumns, encodeSeqs, summarize } from '../encoding/index.js';
export { createCompressor, restoreCompressor, type Compressor, type CompressorState } from '../compression/index.js';
