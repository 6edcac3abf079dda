/**
 * Which node of the server a tag reads on this connection. A `nsu=` tag
 * takes the index its URI has now; a URI the server lacks refuses the tag.
 * A `ns=` tag keeps its index, but only while that index names the URI it
 * named when the tag was first acquired: a server that registers its
 * namespaces in another order would otherwise hand the tag another variable
 * of the same type, archived as Good.
 */
import { coerceNodeId, type NodeId } from 'node-opcua-client';
import type { TagConfigEntry } from '../../shared/config.js';
import { formatNodeId, type ParsedNodeId } from '../../shared/config/node-id.js';
import { BadConfigurationError, BadNodeIdInvalid, BadNodeIdUnknown } from '../../../historian/status.js';
import type { NamespaceMemory } from './namespace-memory.js';
import { namespaceIndex, NamespaceUnknownError, parseNodeIdText } from './namespaces.js';
import type { TagRefusal } from './sources.js';

export type TagNode = { ok: true; nodeId: NodeId } | { ok: false; refusal: TagRefusal };

export class TagNodes {
  /** Index-form ids whose URI is remembered already, and those to remember (written together: commit). */
  private readonly known = new Set<string>();
  private readonly pending: [nodeId: string, uri: string][] = [];

  constructor(
    private readonly server: string,
    private readonly namespaces: readonly string[],
    private readonly memory: NamespaceMemory,
  ) {}

  resolve(tag: TagConfigEntry): TagNode {
    let parsed: ParsedNodeId;
    let index: number;
    try {
      parsed = parseNodeIdText(tag.nodeId);
      index = namespaceIndex(parsed, this.namespaces);
    } catch (err) {
      return { ok: false, refusal: this.refusalOf(tag, err as Error) };
    }
    const moved = this.moved(parsed, index);
    if (moved) return { ok: false, refusal: movedRefusal(tag, index, moved.was, moved.now) };
    return { ok: true, nodeId: coerceNodeId(parsed.identifier, index) };
  }

  /** The tag was acquired: a tag by index remembers the URI its index has now (the first time only; see commit). */
  acquired(tag: TagConfigEntry): void {
    const parsed = parseNodeIdText(tag.nodeId);
    if (!('index' in parsed.namespace) || parsed.namespace.index === 0) return;
    const key = formatNodeId(parsed);
    const uri = this.namespaces[parsed.namespace.index];
    if (uri !== undefined && !this.known.has(key)) {
      this.known.add(key);
      this.pending.push([key, uri]);
    }
  }

  /** Writes what acquired() found new in one transaction: 10,000 tags by index are one commit, not 10,000. */
  commit(): void {
    if (this.pending.length === 0) return;
    this.memory.rememberAll(this.server, this.pending.splice(0));
  }

  /** Namespace 0 is the standard's own and never moves; a `nsu=` id names its namespace itself. */
  private moved(parsed: ParsedNodeId, index: number): { was: string; now: string | null } | null {
    if (!('index' in parsed.namespace) || index === 0) return null;
    const key = formatNodeId(parsed);
    const was = this.memory.uriOf(this.server, key);
    if (was !== null) this.known.add(key);
    const now = this.namespaces[index] ?? null;
    return was !== null && was !== now ? { was, now } : null;
  }

  private refusalOf(tag: TagConfigEntry, err: Error): TagRefusal {
    if (err instanceof NamespaceUnknownError) {
      return {
        tag, status: BadNodeIdUnknown,
        issue: { key: 'acquisition.issue.namespaceUnknown', params: { uri: err.uri, nodeId: tag.nodeId } },
        detail: `the server lists no namespace ${err.uri} in its NamespaceArray (${this.namespaces.length} namespaces): ${tag.nodeId} cannot be read`,
      };
    }
    return {
      tag, status: BadNodeIdInvalid,
      issue: { key: 'acquisition.issue.nodeIdInvalid', params: { nodeId: tag.nodeId } },
      detail: err.message,
    };
  }
}

function movedRefusal(tag: TagConfigEntry, index: number, was: string, now: string | null): TagRefusal {
  return {
    tag, status: BadConfigurationError,
    issue: { key: 'acquisition.issue.namespaceMoved', params: { nodeId: tag.nodeId, index, was, now: now ?? 'none' } },
    detail: `namespace index ${index} of ${tag.nodeId} was ${was} when the tag was first acquired and is now ${now ?? 'absent'} `
      + `(the server renumbered its namespaces): not acquired rather than read from another namespace; write its node id as nsu=${was};…`,
  };
}
