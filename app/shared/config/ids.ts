import { z } from 'zod';

/** Names of servers, areas and tags: what the archive and the config refer to. */
export const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'expected an identifier (letters, digits, _ . -, starting with a letter)');
