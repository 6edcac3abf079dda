export { encodeBlock, encodeBlockColumns, blockColumns, decodeBlock, decodeBlockInto, ColumnBuffer, BLOCK_VERSION, MAX_BLOCK_POINTS } from './block.js';
export { blockBytesAtLeast } from './bound.js';
export { summarize } from './summary.js';
export { encodeSeqs, decodeSeqs } from './seqs.js';
