/**
 * What the station knows of each tag's source on one server: the variable's
 * OPC UA type once read, and why a tag is not acquired (its type does not fit
 * its kind, the server does not know the node, ...). A refused tag carries
 * the reason's status as its value's status, so the screen, the archive and
 * the Tags page all say the same thing.
 */
import { DataType, StatusCodes, type NodeId } from 'node-opcua-client';
import type { TagConfigEntry } from '../../shared/config.js';
import type { MessageRef, TagSampling, TagSource } from '../../shared/api/acquisition.js';
import { refusalFor, typeName, type NodeType } from './data-types.js';
import type { TagNodes } from './tag-nodes.js';
import type { TypeReader } from './type-reader.js';

export interface TagRefusal {
  tag: TagConfigEntry;
  status: number;
  issue: MessageRef;
  detail: string;
}

export interface CheckedTags {
  /** As acquired on this connection: nodeId in the server's index form (see checkTags). */
  accepted: TagConfigEntry[];
  refused: TagRefusal[];
  types: Map<string, NodeType>;
  /** What the server granted for monitored items, by tag (the subscription's findings, not the type check's). */
  sampling?: Map<string, TagSampling>;
}

/**
 * Resolves the tags' nodes on this connection, reads their types and splits them into those that fit
 * their kind and those refused, with why. An accepted tag is returned with its nodeId as the server's
 * index form for this connection (what subscriptions and history reads ask for).
 */
export async function checkTags(reader: TypeReader, nodes: TagNodes, tags: readonly TagConfigEntry[]): Promise<CheckedTags> {
  const out: CheckedTags = { accepted: [], refused: [], types: new Map() };
  const resolved: { tag: TagConfigEntry; nodeId: NodeId }[] = [];
  for (const tag of tags) {
    const node = nodes.resolve(tag);
    if (node.ok) resolved.push({ tag, nodeId: node.nodeId });
    else out.refused.push(node.refusal);
  }
  const results = await reader.read(resolved.map((p) => p.nodeId));
  resolved.forEach(({ tag, nodeId }, i) => {
    const r = results[i]!;
    if (!r.ok) {
      out.refused.push(askAgain(r.status) ? typeUnread(tag, r.status, r.statusName) : serverRefusal(tag, r.status, r.statusName));
      return;
    }
    out.types.set(tag.name, r.type);
    const refusal = refusalFor(tag.kind, r.type);
    if (refusal) {
      out.refused.push({ tag, status: refusal.status, issue: { key: refusal.key, params: refusal.params }, detail: refusal.detail });
      return;
    }
    nodes.acquired(tag);
    out.accepted.push({ ...tag, nodeId: nodeId.toString() });
  });
  nodes.commit();
  return out;
}

/**
 * Statuses of a server busy or slow for a moment, not of a node it will not serve: a type read
 * answered so (the whole request, or one node of it) is asked again while the connection lasts
 * (server-link.ts typeRetry), the tag said to wait for it (typeUnread), not refused until the next
 * reconnection, days on a link that stays up.
 */
const ASK_AGAIN = new Set([
  StatusCodes.BadTooManyOperations, StatusCodes.BadTimeout, StatusCodes.BadResourceUnavailable, StatusCodes.BadRequestTimeout,
  StatusCodes.BadServerTooBusy, StatusCodes.BadTcpServerTooBusy, StatusCodes.BadNoContinuationPoints,
].map((s) => s.value >>> 0));

export function askAgain(status: number): boolean {
  return ASK_AGAIN.has((status & 0xffff0000) >>> 0);
}

/** A tag whose type the server did not answer for a moment: not acquired until it does, asked again meanwhile. */
export function typeUnread(tag: TagConfigEntry, status: number, statusName: string): TagRefusal {
  return {
    tag, status,
    issue: { key: 'acquisition.issue.typeUnread', params: { status: statusName, nodeId: tag.nodeId } },
    detail: `the server did not answer the read of the type of ${tag.nodeId} (${statusName}): asked again, waiting longer each time`,
  };
}

/**
 * The status a failed type read is said with: the server's answer to the request (BadTooManyOperations
 * from a busy server), one named in the error, BadTimeout for a request not answered in time, else
 * BadCommunicationError.
 */
export function statusOfFailure(err: unknown): { status: number; name: string } {
  const result = (err as { response?: { responseHeader?: { serviceResult?: { value?: number; name?: string } } } }).response?.responseHeader?.serviceResult;
  if (result?.value !== undefined && result.name && (result.value & 0x80000000) !== 0) return { status: result.value >>> 0, name: result.name };
  const message = err instanceof Error ? err.message : String(err);
  const named = /\b(Bad[A-Za-z]+)\b/.exec(message)?.[1];
  const code = named ? (StatusCodes as unknown as Record<string, { value: number } | undefined>)[named] : undefined;
  if (named && code?.value !== undefined) return { status: code.value >>> 0, name: named };
  const fallback = /timed out|timeout/i.test(message) ? StatusCodes.BadTimeout : StatusCodes.BadCommunicationError;
  return { status: fallback.value >>> 0, name: fallback.name };
}

/** The server's own answer for a node it will not serve (BadNodeIdUnknown, BadNotReadable, ...). */
export function serverRefusal(tag: TagConfigEntry, status: number, statusName: string): TagRefusal {
  return {
    tag, status,
    issue: { key: 'acquisition.issue.serverRefused', params: { status: statusName, nodeId: tag.nodeId } },
    detail: `the server answered ${statusName} for ${tag.nodeId}`,
  };
}

export class TagSources {
  private readonly map = new Map<string, TagSource>();
  /**
   * Tags acquired whose values are marked for a reason other than their type (the server's units
   * no longer those configured, engineering-units.ts): said in place of "acquired" by every check
   * until cleared, so a reconnection's type check does not hide it.
   */
  private readonly marked = new Map<string, Pick<TagSource, 'status' | 'issue' | 'detail'>>();
  /** Tags whose own source stamps are wrong while their server's clock is right, since when (kept in stamp-memory.ts); backfill dates their history by the server. */
  private readonly wrong = new Map<string, number>();

  constructor(
    private readonly server: string,
    private readonly onChange: (changed: TagSource[]) => void,
  ) {}

  all(): TagSource[] {
    return [...this.map.values()];
  }

  /**
   * Not acquired: the server or the type check refused it. A tag whose values are only marked (its
   * server's units not those configured) is acquired: its history is read, and marked as its live values are.
   */
  isRefused(tag: string): boolean {
    const s = this.map.get(tag), mark = this.marked.get(tag);
    return (s?.status ?? 0) !== 0 && !(mark !== undefined && s?.issue?.key === mark.issue?.key);
  }

  /** The tag's type names states (an enumeration): a SemanticsChanged may have changed them. */
  hasStates(tag: string): boolean {
    return (this.map.get(tag)?.states ?? null) !== null;
  }

    /** The status the Tags page shows for the tag (0: acquired, or not known yet). */
  statusOf(tag: string): number {
    return this.map.get(tag)?.status ?? 0;
  }

  /** Tags whose source is not known yet (a new tag, or before the first connection). */
  expect(tags: readonly TagConfigEntry[]): void {
    const changed: TagSource[] = [];
    for (const t of tags) {
      if (this.map.has(t.name)) continue;
      const s: TagSource = {
        tag: t.name, server: this.server, dataType: null, builtIn: null, status: 0, issue: null, detail: null, historyReadable: false, sampling: null,
        stampsWrongSince: this.wrong.get(t.name) ?? null,
      };
      this.map.set(t.name, s);
      changed.push(s);
    }
    if (changed.length) this.onChange(changed);
  }

  remove(names: readonly string[]): void {
    for (const n of names) {
      this.map.delete(n);
      this.marked.delete(n);
    }
  }

  get stampsWrong(): ReadonlyMap<string, number> {
    return this.wrong;
  }

  /** The tag's own source stamps found wrong since `since` (its values dated by the server), or right again (null). */
  stamps(tag: string, since: number | null): void {
    if (since === null) this.wrong.delete(tag);
    else this.wrong.set(tag, since);
    const before = this.map.get(tag);
    if (before) this.changeTo({ ...before, stampsWrongSince: since });
  }

  /** An acquired tag's values are marked with this status, for this reason, until unmark. */
  mark(tag: string, why: { status: number; issue: MessageRef; detail: string }): void {
    const mark = { status: why.status, issue: why.issue, detail: why.detail };
    this.marked.set(tag, mark);
    const before = this.map.get(tag);
    if (!before || (before.status !== 0 && before.issue?.key !== why.issue.key)) return;
    this.changeTo({ ...before, ...mark });
  }

  /** The tag's values are no longer marked: acquired again, unless refused meanwhile. */
  unmark(tag: string): void {
    const mark = this.marked.get(tag);
    this.marked.delete(tag);
    const before = this.map.get(tag);
    if (!mark || !before || before.issue?.key !== mark.issue?.key) return;
    this.changeTo({ ...before, status: 0, issue: null, detail: null });
  }

  private changeTo(s: TagSource): void {
    if (JSON.stringify(this.map.get(s.tag)) === JSON.stringify(s)) return;
    this.map.set(s.tag, s);
    this.onChange([s]);
  }

  /** Records what a type check found. */
  apply(checked: CheckedTags): void {
    const changed: TagSource[] = [];
    const set = (found: TagSource) => {
      const s = { ...found, stampsWrongSince: this.wrong.get(found.tag) ?? null };
      const before = this.map.get(s.tag);
      if (before && JSON.stringify(before) === JSON.stringify(s)) return;
      this.map.set(s.tag, s);
      changed.push(s);
    };
    const typeFields = (name: string) => {
      const type = checked.types.get(name);
      return type
        ? { dataType: typeName(type), builtIn: DataType[type.builtIn] ?? null, historyReadable: type.historyReadable, states: type.states ?? null }
        : { dataType: null, builtIn: null, historyReadable: false, states: null };
    };
    // An accepted tag keeps what its item was granted until the subscription says again; a refused one has no item.
    const granted = (name: string) => this.map.get(name)?.sampling ?? null;
    const acquired = (name: string) => this.marked.get(name) ?? { status: 0, issue: null, detail: null };
    for (const tag of checked.accepted) set({ tag: tag.name, server: this.server, ...typeFields(tag.name), ...acquired(tag.name), sampling: granted(tag.name) });
    for (const r of checked.refused) set({ tag: r.tag.name, server: this.server, ...typeFields(r.tag.name), status: r.status, issue: r.issue, detail: r.detail, sampling: null });
    for (const [name, sampling] of checked.sampling ?? []) {
      const before = this.map.get(name);
      if (before && (before.status === 0 || this.marked.has(name))) set({ ...before, sampling });
    }
    if (changed.length) this.onChange(changed);
  }

  historyReadable(tag: string): boolean {
    return this.map.get(tag)?.historyReadable ?? false;
  }
}
