/// <reference types="vite/client" />
/**
 * The horn: one looping tone per priority (resources/tones, made by
 * scripts/make-tones.ts), played through Web Audio while the station says
 * the horn sounds. Browsers start audio only after a user gesture; until
 * then `blocked` is true and the banner says so: a horn that cannot sound
 * is shown, never silently muted.
 */
import p1 from '../../../../resources/tones/p1.wav';
import p2 from '../../../../resources/tones/p2.wav';
import p3 from '../../../../resources/tones/p3.wav';
import p4 from '../../../../resources/tones/p4.wav';

const TONE_URLS: Record<number, string> = { 1: p1, 2: p2, 3: p3, 4: p4 };

export type HornStatus = 'ready' | 'blocked' | 'loading' | 'unavailable';

export class Horn {
  /** What the audio device can do now; 'blocked' until a key or click unlocks it. */
  status = $state<HornStatus>('loading');
  /** Why audio is unavailable, for the banner. */
  error = $state<string | null>(null);
  /** The priority whose tone is playing now; null when quiet. */
  playing = $state<number | null>(null);

  private ctx: AudioContext | null = null;
  private readonly buffers = new Map<number, AudioBuffer>();
  private source: AudioBufferSourceNode | null = null;
  private wanted: number | null = null;

  constructor() {
    if (typeof AudioContext === 'undefined') {
      this.fail('this browser has no Web Audio');
      return;
    }
    this.ctx = new AudioContext();
    this.ctx.onstatechange = () => this.refresh();
    void this.load();
  }

  /** The tone to sound: a priority (1 the most urgent), or null for quiet. Restarts only when it changes. */
  sound(priority: number | null): void {
    this.wanted = priority;
    this.refresh();
  }

  /** Call on every key press and click: the gesture browsers require before audio plays. */
  unlock(): void {
    if (this.ctx && this.ctx.state !== 'running' && this.ctx.state !== 'closed') {
      this.ctx.resume().catch((err: unknown) => this.fail(`audio could not start: ${(err as Error).message}`));
    }
  }

  private async load(): Promise<void> {
    const ctx = this.ctx!;
    try {
      await Promise.all(
        Object.entries(TONE_URLS).map(async ([priority, url]) => {
          const res = await fetch(url);
          if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
          this.buffers.set(Number(priority), await ctx.decodeAudioData(await res.arrayBuffer()));
        }),
      );
    } catch (err) {
      this.fail(`horn tones could not be loaded: ${(err as Error).message}`);
      return;
    }
    this.refresh();
  }

  private fail(message: string): void {
    console.error(new Error(message));
    this.status = 'unavailable';
    this.error = message;
  }

  private refresh(): void {
    if (this.status === 'unavailable' || !this.ctx) return;
    if (this.buffers.size < Object.keys(TONE_URLS).length) return;
    this.status = this.ctx.state === 'running' ? 'ready' : 'blocked';
    // Unknown priorities (a 5th configured one) sound as the lowest tone rather than not at all.
    const tone = this.wanted === null ? null : this.buffers.has(this.wanted) ? this.wanted : 4;
    if (tone === this.playing && (tone === null || this.source)) return;
    this.stop();
    if (tone === null) return;
    const src = this.ctx.createBufferSource();
    src.buffer = this.buffers.get(tone)!;
    src.loop = true;
    src.connect(this.ctx.destination);
    // Scheduled even while suspended: it plays the moment the context is unlocked.
    src.start();
    this.source = src;
    this.playing = tone;
  }

  private stop(): void {
    if (this.source) {
      this.source.stop();
      this.source.disconnect();
    }
    this.source = null;
    this.playing = null;
  }
}
