/**
 * The browse panel's requests in flight: one at a time per key (a folder's children, a node's
 * detail), and an answer kept only for the tree it was asked for. Pressing → ← → on a folder that
 * is still loading asks the server nothing more (every load pages through the station's one session
 * with the server, one browse at a time), and a folder's children asked of one server never land in
 * the tree of the next one picked (node ids such as the Server object's are the same on every server).
 */
export interface Load {
  readonly key: string;
  readonly tree: number;
}

export class TreeLoads {
  #tree = 0;
  readonly #pending = new Set<string>();

  /** Another tree is shown (another server, or the same one back after a loss): loads begun before are forgotten. */
  newTree(): void {
    this.#tree++;
    this.#pending.clear();
  }

  /** Starts a load of key; null when one is on its way already. */
  begin(key: string): Load | null {
    if (this.#pending.has(key)) return null;
    this.#pending.add(key);
    return { key, tree: this.#tree };
  }

  /** Ends a load (answered or failed): true when its answer is for the tree shown now. */
  end(load: Load): boolean {
    if (load.tree !== this.#tree) return false;
    this.#pending.delete(load.key);
    return true;
  }
}
