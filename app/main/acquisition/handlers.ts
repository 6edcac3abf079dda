/**
 * The acquisition's console-API handlers. Trusting a certificate and adding,
 * changing or removing tags (tag-edit.ts) are audited through ctx.setAudit
 * (the dispatcher writes the entry and checks the permission first);
 * browsing and listing are views.
 */
import { isMap, isSeq, type Document } from 'yaml';
import type { ClientSession } from 'node-opcua-client';
import type { CertificateInfo, NewTag } from '../../shared/api/acquisition.js';
import { ApiFailure, type CallContext, type Dispatcher } from '../api/dispatcher.js';
import { ConfigError } from '../station/config-file.js';
import type { Acquisition } from './acquisition.js';
import { browseChildren, nodeDetail } from './browse.js';
import { refusalFor } from './data-types.js';
import { readNamespaces, toServerNodeId } from './namespaces.js';
import { formatNodeId, parseNodeId } from '../../shared/config/node-id.js';
import { TypeReader } from './type-reader.js';
import { configRejected, tagEditHandlers, withoutUndefined } from './tag-edit.js';

export function registerAcquisitionApi(dispatcher: Dispatcher, acq: Acquisition): void {
  dispatcher.register('acquisition', {
    'tags.sources': () => acq.sources(),
    'gaps.list': ({ server, limit }) => acq.ledger.list(server ?? null, limit),
    'certificates.list': () => acq.pki.list(),
    'certificates.own': () => acq.pki.ownStatus(),
    'certificates.trust': ({ thumbprint }, ctx) => moveCertificate(acq, thumbprint, 'trusted', ctx),
    'certificates.reject': ({ thumbprint }, ctx) => moveCertificate(acq, thumbprint, 'rejected', ctx),
    'browse.children': ({ server, nodeId }) => browsing(nodeId ?? 'Objects', () => browseChildren(sessionOf(acq, server), nodeId)),
    'browse.node': ({ server, nodeId }) => browsing(nodeId, () => nodeDetail(sessionOf(acq, server), server, nodeId, acq.config.tags)),
    'tags.add': ({ tags }, ctx) => addTags(acq, tags, ctx),
    'tags.followNamespace': ({ tag }, ctx) => followNamespace(acq, tag, ctx),
    ...tagEditHandlers(dispatcher, acq),
  });
}

function sessionOf(acq: Acquisition, server: string): ClientSession {
  const link = acq.link(server);
  if (!link) throw new ApiFailure('not_found', `unknown server "${server}"`, { key: 'acquisition.error.unknownServer', params: { server } });
  const session = link.session;
  if (!session) throw new ApiFailure('unavailable', `server "${server}" is not connected`, { key: 'acquisition.error.notConnected', params: { server } });
  return session;
}

/** A node the server does not know, or a browse it refuses, is the caller's request going wrong, not the station. */
async function browsing<T>(nodeId: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiFailure) throw err;
    const message = (err as Error).message;
    throw new ApiFailure('bad_request', `${nodeId}: ${message}`, { key: 'acquisition.error.browse', params: { nodeId, message } });
  }
}

async function moveCertificate(acq: Acquisition, thumbprint: string, to: 'trusted' | 'rejected', ctx: CallContext): Promise<CertificateInfo> {
  const before = (await acq.pki.list()).find((c) => c.thumbprint === thumbprint);
  ctx.setAudit({ target: before ? `${before.subject} (${thumbprint})` : thumbprint, oldValue: before?.state ?? null, newValue: to });
  const after = await acq.pki.move(thumbprint, to);
  if (!after) throw new ApiFailure('not_found', `no certificate ${thumbprint} in the PKI`, { key: 'acquisition.error.noCertificate', params: { thumbprint } });
  if (before?.refusedFor) ctx.setAudit({ detail: `presented by server ${before.refusedFor.server} at ${before.refusedFor.endpoint}` });
  else if (to === 'rejected' && before?.inUseBy.length) ctx.setAudit({ detail: `used by ${before.inUseBy.map((u) => `server ${u.server} at ${u.endpoint}`).join(', ')}` });
  await acq.publishCertificates();
  if (to === 'trusted') acq.retryNow();
  else acq.certificateRejected(thumbprint);
  return after;
}

/** Adds variables as tags: checked against the server (its type must fit the kind), written to the config file with comments kept. */
async function addTags(acq: Acquisition, tags: NewTag[], ctx: CallContext): Promise<{ added: string[] }> {
  const config = acq.config;
  const entries: Record<string, unknown>[] = [];
  for (const t of tags) {
    if (config.tags.some((e) => e.name === t.name) || entries.some((e) => e.name === t.name)) {
      throw new ApiFailure('conflict', `a tag named "${t.name}" exists already`, { key: 'acquisition.error.tagExists', params: { tag: t.name } });
    }
    const detail = await browsing(t.nodeId, () => nodeDetail(sessionOf(acq, t.server), t.server, t.nodeId, config.tags));
    if (detail.nodeClass !== 'Variable') {
      throw new ApiFailure('bad_request', `${t.nodeId} is a ${detail.nodeClass}, not a variable`, { key: 'acquisition.error.notVariable', params: { nodeId: t.nodeId } });
    }
    // A variable the station may not read would be a tag that never gets a value: refused here as the
    // browse panel hides its form (a direct call, or a panel opened before its access changed).
    if (detail.refusal?.key === 'acquisition.issue.notReadable') {
      const attribute = String(detail.refusal.params?.attribute ?? 'AccessLevel');
      throw new ApiFailure('bad_request', `${t.nodeId}: its ${attribute} lacks CurrentRead, the station may not read it`, { key: detail.refusal.key, params: { attribute } });
    }
    const [typed] = await browsing(t.nodeId, async () => {
      const session = sessionOf(acq, t.server);
      return new TypeReader(session, 100, 100).read([toServerNodeId(detail.nodeId, await readNamespaces(session))]);
    });
    const refusal = typed?.ok ? refusalFor(t.kind, typed.type) : null;
    if (refusal) throw new ApiFailure('bad_request', `${t.nodeId}: ${refusal.detail}`, { key: refusal.key, params: refusal.params });
    const range = t.range ?? (t.kind === 'analog' ? detail.range : null);
    entries.push(withoutUndefined({
      name: t.name,
      server: t.server,
      // By namespace URI (nodeDetail's form), whichever form was asked for: the tag survives a renumbering.
      nodeId: detail.nodeId,
      description: t.description ?? (detail.description || detail.displayName),
      unit: t.unit ?? detail.unit ?? '',
      range: range ?? undefined,
      kind: t.kind,
      area: t.area,
      equipment: t.equipment,
      role: t.role,
    }));
  }
  ctx.setAudit({ target: entries.map((e) => e.name).join(', '), newValue: entries });
  try {
    acq.editConfig((doc) => appendTags(doc, entries));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw configRejected(err);
  }
  return { added: entries.map((e) => e.name as string) };
}

/**
 * Rewrites a tag by index as nsu=<the URI it was first acquired under>: what the engineer means when
 * the server renumbered its namespaces (the tag-nodes refusal), done from the console, audited.
 */
function followNamespace(acq: Acquisition, name: string, ctx: CallContext): { tag: string; nodeId: string } {
  const tag = acq.config.tags.find((t) => t.name === name);
  if (!tag) throw new ApiFailure('not_found', `no tag "${name}"`, { key: 'acquisition.error.unknownTag', params: { tag: name } });
  const parsed = parseNodeId(tag.nodeId);
  const was = parsed && 'index' in parsed.namespace && parsed.namespace.index !== 0 ? acq.rememberedNamespace(tag.server, formatNodeId(parsed)) : null;
  if (!parsed || was === null) {
    throw new ApiFailure('bad_request', `${name}: ${tag.nodeId} has no namespace remembered from an earlier acquisition`, { key: 'acquisition.error.noRememberedNamespace', params: { tag: name, nodeId: tag.nodeId } });
  }
  const nodeId = formatNodeId({ namespace: { uri: was }, identifier: parsed.identifier });
  ctx.setAudit({ target: name, oldValue: tag.nodeId, newValue: nodeId });
  try {
    acq.editConfig((doc) => setTagNodeId(doc, name, nodeId));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw configRejected(err);
  }
  return { tag: name, nodeId };
}

function setTagNodeId(doc: Document, name: string, nodeId: string): void {
  const tags = doc.get('tags', true);
  const entry = isSeq(tags) ? tags.items.find((i) => isMap(i) && i.get('name') === name) : undefined;
  // The tag is in the config, so it is in the file unless an overlay (the simulator's own tags) made it.
  if (!isMap(entry)) throw new ApiFailure('conflict', `${name} is not in the station config file`, { key: 'acquisition.error.notInFile', params: { tag: name } });
  entry.set('nodeId', nodeId);
}

function appendTags(doc: Document, entries: Record<string, unknown>[]): void {
  const tags = doc.get('tags', true);
  if (tags !== undefined && !isSeq(tags)) throw new ConfigError('(station config)', [], 'tags: expected a list');
  for (const entry of entries) {
    const node = doc.createNode(entry);
    // A range reads best as [low, high] on one line, as written by hand.
    if (isMap(node)) {
      const range = node.get('range', true);
      if (isSeq(range)) range.flow = true;
    }
    doc.addIn(['tags'], node);
  }
}
