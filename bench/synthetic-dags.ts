/**
 * Seeded synthetic DAGs for the scheduling benchmark (bench/run.bench.ts, part a): a few hundred subtasks in the
 * shapes real plans take, with skewed actual durations and noisy estimates (what the scheduler sees as weights).
 */
import type { DagNode } from '@baton/coordinator';

/** A deterministic pseudo-random source (mulberry32). */
interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

/** A seeded Rng. */
function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}

/** A DAG with the actual duration of every node; node weights are the scheduler's (noisy) estimates. */
export interface SyntheticDag {
  nodes: DagNode[];
  durations: Record<string, number>;
}

/** The shapes generated, by name. */
export const DagFamily = {
  layered: 'layered',
  forkJoin: 'fork-join',
  chains: 'chains',
  wide: 'wide',
  random: 'random',
  recipe: 'recipe',
} as const;
/** A DAG family. */
export type DagFamily = (typeof DagFamily)[keyof typeof DagFamily];

/** What each family looks like, for the printed legend. */
export const familyDescriptions: Record<DagFamily, string> = {
  layered: '12 layers x 25 nodes, each node waits for 1-3 random nodes of the layer before (fan-out and fan-in)',
  'fork-join': '6 stages: one node fans out to 40-60 parallel nodes, all joining into the next stage’s root',
  chains: '24 independent chains of 4-20 nodes',
  wide: '300 independent nodes',
  random: '300 nodes in a random order, each later node waits for an earlier one with p = 1.5%',
  recipe:
    'recipe-shaped plan: 10 packages x 3-40 editor shards, one tester per package after its shards and those of the packages it uses',
};

/** Skewed actual durations: log-normal (median 1, sigma 1), so a few subtasks take 10x the median. */
function duration(rng: Rng): number {
  return Math.exp(rng.normal());
}

/** Builds the nodes from an edge list, drawing durations and estimates (duration x log-normal noise, sigma `noise`). */
function finish(
  rng: Rng,
  ids: string[],
  deps: Map<string, string[]>,
  noise: number,
  scale: Map<string, number> = new Map(),
): SyntheticDag {
  const durations: Record<string, number> = {};
  const nodes = ids.map((id) => {
    const d = duration(rng) * (scale.get(id) ?? 1);
    durations[id] = d;
    return { id, deps: deps.get(id) ?? [], weight: d * Math.exp(noise * rng.normal()) };
  });
  return { nodes, durations };
}

const pad = (n: number) => String(n).padStart(3, '0');

/** One DAG of `family`, deterministic for a (family, seed, noise). */
export function syntheticDag(family: DagFamily, seed: number, noise: number): SyntheticDag {
  const rng = seededRng(seed * 7919 + family.length);
  const ids: string[] = [];
  const deps = new Map<string, string[]>();
  const add = (id: string, on: string[] = []) => {
    ids.push(id);
    deps.set(id, [...new Set(on)]);
  };
  switch (family) {
    case 'layered': {
      let previous: string[] = [];
      for (let layer = 0; layer < 12; layer++) {
        const current = Array.from({ length: 25 }, (_, i) => `l${pad(layer)}-${pad(i)}`);
        for (const id of current)
          add(
            id,
            previous.length === 0
              ? []
              : Array.from({ length: rng.int(1, 3) }, () => previous[rng.int(0, previous.length - 1)]!),
          );
        previous = current;
      }
      return finish(rng, ids, deps, noise);
    }
    case 'fork-join': {
      let root: string[] = [];
      for (let stage = 0; stage < 6; stage++) {
        const head = `s${stage}-fork`;
        add(head, root);
        const width = rng.int(40, 60);
        const branch = Array.from({ length: width }, (_, i) => `s${stage}-${pad(i)}`);
        for (const id of branch) add(id, [head]);
        root = branch;
      }
      add('join', root);
      return finish(rng, ids, deps, noise);
    }
    case 'chains': {
      for (let c = 0; c < 24; c++) {
        const length = rng.int(4, 20);
        for (let i = 0; i < length; i++) add(`c${pad(c)}-${pad(i)}`, i === 0 ? [] : [`c${pad(c)}-${pad(i - 1)}`]);
      }
      return finish(rng, ids, deps, noise);
    }
    case 'wide': {
      for (let i = 0; i < 300; i++) add(`w${pad(i)}`);
      return finish(rng, ids, deps, noise);
    }
    case 'random': {
      for (let i = 0; i < 300; i++)
        add(
          `r${pad(i)}`,
          ids.slice(0, i).filter(() => rng.next() < 0.015),
        );
      return finish(rng, ids, deps, noise);
    }
    case 'recipe': {
      // Testers run typecheck + tests of a package: several times a shard's duration.
      const scale = new Map<string, number>();
      const shardsOf: string[][] = [];
      for (let p = 0; p < 10; p++) {
        const shards = Array.from({ length: rng.int(3, 40) }, (_, i) => `edit-p${p}-${pad(i)}`);
        for (const id of shards) add(id);
        shardsOf.push(shards);
      }
      for (let p = 0; p < 10; p++) {
        // Package 0 is the core every other package uses; a few use one more package.
        const uses = p === 0 ? [] : [0, ...(rng.next() < 0.3 ? [rng.int(1, 9)] : [])].filter((q) => q !== p);
        const id = `test-p${p}`;
        add(id, [...shardsOf[p]!, ...uses.flatMap((q) => shardsOf[q]!)]);
        scale.set(id, 4);
      }
      return finish(rng, ids, deps, noise, scale);
    }
  }
}
