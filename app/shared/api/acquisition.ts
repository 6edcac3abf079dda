/**
 * The acquisition's console API: what each tag's source says (its OPC UA
 * type, or why it is refused), the gap ledger, the server certificates an
 * engineer trusts or rejects, browsing a server's address space and adding
 * its variables as tags, a tag's archive compression and removing a tag.
 * Viewing needs no sign-in; changing does.
 */
import { z } from 'zod';
import { id } from '../config/ids.js';
import { compressionSchema } from '../config/compression.js';
import { tagRoles } from '../config/tags.js';
import { defineEvents, defineRequests, noParams } from './define.js';

/** A message the console shows in its own language: a catalog key and its arguments. */
export const messageRef = z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).default({}) });

/** An enumeration's states: each Int32 value and the name the server gives it ("Open"). */
export const enumStates = z.array(z.object({ value: z.number().int(), name: z.string() }));

/** What the acquisition knows of one tag's source. */
export const tagSource = z.object({
  tag: z.string(),
  server: z.string(),
  /** The variable's DataType name as the server gives it; null until read. */
  dataType: z.string().nullable(),
  /** The built-in type it derives from (Double, Int64, Boolean, ...); null until read. */
  builtIn: z.string().nullable(),
  /** The status the tag carries because of its configuration or the server's answer; 0 when fine. */
  status: z.number().int().nonnegative(),
  /** Why the tag is not acquired (type mismatch, unknown node, ...); null when it is. */
  issue: messageRef.nullable(),
  /** The same in English, as logged. */
  detail: z.string().nullable(),
  /** The server keeps this variable's history (HistoryRead in AccessLevel). */
  historyReadable: z.boolean(),
  /** An enumeration's states as the server names them (its DataType's EnumStrings or EnumValues); absent or null when none. */
  states: enumStates.nullable().optional(),
  /** What the server granted for the tag's monitored item (Part 4 §5.12.2 revised parameters); null until subscribed. */
  sampling: z.object({
    samplingIntervalMs: z.number().nonnegative(),
    queueSize: z.number().int().nonnegative(),
    /** Samples one publishing interval can bring at that rate: a queue below it loses changes between publishes. */
    perPublish: z.number().int().positive(),
  }).nullable(),
  /**
   * Since when the variable's own source timestamps are wrong (frozen, or well behind) while its
   * server's clock is right: its values, live and backfilled, are dated by the server. Null or absent: right.
   */
  stampsWrongSince: z.number().nullable().optional(),
});

export const ledgerEntry = z.object({
  /** Durable sequence: every insert or change of an entry takes the next number (see gap-ledger.ts). */
  seq: z.number().int().positive(),
  id: z.number().int().positive(),
  server: z.string(),
  kind: z.enum(['gap', 'failover']),
  /** Gap: the last moment the station had evidence of the server. Failover: when it switched. */
  from: z.number(),
  /** Gap: when data flowed again; null while the gap is open. Failover: same as from. */
  to: z.number().nullable(),
  /** Why: 'connection lost', 'no data or keep-alive', 'station stopped', 'serviceLevel', 'failback', ... */
  cause: z.string(),
  /** The endpoint in use before (failover: switched from). */
  endpoint: z.string().nullable(),
  /** Failover: switched to. */
  toEndpoint: z.string().nullable(),
  /**
   * Gap: how far its backfill from the server's history got. 'archiving': its values are read and
   * handed to the archive, which has not committed them yet (a second; as long as its disk is full).
   */
  backfill: z.enum(['pending', 'running', 'archiving', 'done', 'partial', 'unsupported', 'failed', 'off']).nullable(),
  backfilledSamples: z.number().int().nonnegative(),
  /** Why the backfill stands as it does: English text, or a catalog key with its parameters as JSON (app/shared/gap-note.ts). */
  note: z.string().nullable(),
});

export const certificateInfo = z.object({
  thumbprint: z.string(),
  state: z.enum(['rejected', 'trusted']),
  file: z.string(),
  subject: z.string(),
  issuer: z.string(),
  applicationUri: z.string().nullable(),
  validFrom: z.number(),
  validTo: z.number(),
  /** The server whose connection this certificate was refused for (this run). */
  refusedFor: z.object({ server: z.string(), endpoint: z.string(), at: z.number() }).nullable(),
  /** The servers whose current or last session presented this certificate (this run): rejecting it disconnects them. */
  inUseBy: z.array(z.object({ server: z.string(), endpoint: z.string() })),
});

/** Vigil's own application certificate (each server's administrator trusts it); daysLeft within 30 days of its end, else null. */
export const ownCertificateInfo = z.object({
  file: z.string(),
  thumbprint: z.string(),
  subject: z.string(),
  applicationUri: z.string().nullable(),
  validFrom: z.number(),
  validTo: z.number(),
  daysLeft: z.number().nullable(),
});

export const browseNode = z.object({
  nodeId: z.string(),
  browseName: z.string(),
  displayName: z.string(),
  nodeClass: z.string(),
  /** Has children worth expanding (objects, folders, variables with components). */
  hasChildren: z.boolean(),
});

export const nodeDetail = z.object({
  server: z.string(),
  nodeId: z.string(),
  browseName: z.string(),
  displayName: z.string(),
  description: z.string(),
  nodeClass: z.string(),
  dataType: z.string().nullable(),
  builtIn: z.string().nullable(),
  valueRank: z.number().nullable(),
  accessLevel: z.array(z.string()),
  historizing: z.boolean(),
  unit: z.string().nullable(),
  range: z.tuple([z.number(), z.number()]).nullable(),
  value: z.union([z.number(), z.boolean(), z.string(), z.null()]),
  status: z.number().int().nonnegative(),
  sourceTime: z.number().nullable(),
  /** The tag kind this variable fits; null when it cannot be a tag (and `refusal` says why). */
  suggestedKind: z.enum(['analog', 'discrete', 'text']).nullable(),
  refusal: messageRef.nullable(),
  /** Tags of the station already reading this node. */
  tags: z.array(z.string()),
});

export const newTag = z.object({
  server: id,
  nodeId: z.string().min(1),
  name: id,
  kind: z.enum(['analog', 'discrete', 'text']),
  area: id,
  equipment: z.string().min(1).optional(),
  description: z.string().optional(),
  role: z.enum(tagRoles).optional(),
  /** Default: the variable's EngineeringUnits. */
  unit: z.string().optional(),
  /** Default: the variable's EURange. */
  range: z.tuple([z.number(), z.number()]).optional(),
});

/** A tag's archive compression as configured: its own (null: the station default applies) and the one in effect. */
export const tagCompression = z.object({
  tag: z.string(),
  kind: z.enum(['analog', 'discrete', 'text']),
  unit: z.string(),
  range: z.tuple([z.number(), z.number()]).nullable(),
  /** Written on the tag; null: station.defaultCompression applies. */
  own: compressionSchema.nullable(),
  stationDefault: compressionSchema,
  /** What the archive uses (discrete and text tags: none, whatever is written). */
  effective: compressionSchema,
});

export const acquisitionRequests = defineRequests({
  'tags.sources': { params: noParams, result: z.array(tagSource), permission: null },
  'gaps.list': {
    params: z.object({ server: z.string().optional(), limit: z.number().int().positive().max(1000).default(200) }).strict(),
    result: z.array(ledgerEntry),
    permission: null,
  },
  'certificates.list': { params: noParams, result: z.array(certificateInfo), permission: null },
  /** Vigil's own certificate; null while it is not made yet (at the first secured connection). */
  'certificates.own': { params: noParams, result: ownCertificateInfo.nullable(), permission: null },
  'certificates.trust': { params: z.object({ thumbprint: z.string().regex(/^[0-9a-f]{40}$/) }).strict(), result: certificateInfo, permission: 'certificates.manage' },
  'certificates.reject': { params: z.object({ thumbprint: z.string().regex(/^[0-9a-f]{40}$/) }).strict(), result: certificateInfo, permission: 'certificates.manage' },
  'browse.children': {
    params: z.object({ server: z.string(), nodeId: z.string().optional() }).strict(),
    result: z.array(browseNode),
    permission: null,
  },
  'browse.node': { params: z.object({ server: z.string(), nodeId: z.string() }).strict(), result: nodeDetail, permission: null },
  /** A tag by namespace index whose server renumbered its namespaces: its node id rewritten by the URI it was first acquired under. */
  'tags.followNamespace': {
    params: z.object({ tag: z.string().min(1) }).strict(),
    result: z.object({ tag: z.string(), nodeId: z.string() }),
    permission: 'tags.configure',
  },
  'tags.add': {
    params: z.object({ tags: z.array(newTag).min(1).max(500) }).strict(),
    result: z.object({ added: z.array(z.string()) }),
    permission: 'tags.configure',
  },
  'tags.compression': { params: z.object({ tag: z.string().min(1) }).strict(), result: tagCompression, permission: null },
  /**
   * One tag's archive compression written to the station config file (null: its own goes, the station
   * default applies); the archive takes it as a new configuration version of the tag from now.
   */
  'tags.setCompression': {
    params: z.object({ tag: z.string().min(1), compression: compressionSchema.nullable() }).strict(),
    result: tagCompression,
    permission: 'tags.configure',
  },
  /** A tag taken out of the station config file: no longer acquired; its archive is kept and stays readable. */
  'tags.remove': {
    params: z.object({ tag: z.string().min(1) }).strict(),
    result: z.object({ removed: z.string() }),
    permission: 'tags.configure',
  },
});

export const acquisitionEvents = defineEvents({
  /** Tag sources that changed (type read, refused, server result). */
  'tags.sources': z.array(tagSource),
  /** A ledger entry that was added or changed. */
  'gaps.changed': ledgerEntry,
  'certificates.changed': z.array(certificateInfo),
});

export type TagSource = z.output<typeof tagSource>;
export type TagSampling = NonNullable<TagSource['sampling']>;
export type LedgerEntry = z.output<typeof ledgerEntry>;
export type CertificateInfo = z.output<typeof certificateInfo>;
export type OwnCertificateInfo = z.output<typeof ownCertificateInfo>;
export type BrowseNode = z.output<typeof browseNode>;
export type NodeDetail = z.output<typeof nodeDetail>;
export type NewTag = z.output<typeof newTag>;
export type TagCompression = z.output<typeof tagCompression>;
export type MessageRef = z.output<typeof messageRef>;
