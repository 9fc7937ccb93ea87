/**
 * Orchestration benchmark, three parts (see bench/README.md). Run: `npm run bench:run` (all parts), or one part:
 * `npm run bench:run -- --part a` (scheduling on synthetic DAGs), `--part b` (overhead per subtask vs the bus round
 * trip, memory and NATS), `--part c` (embedded rename vs a single-process ts-morph rename). Options:
 * `--seeds 5 --noise 0.5` (a), `--subtasks 200 --chain 50 --requests 1000` (b), `--files 1000,10000` (c).
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { runSchedulingPart } from './scheduling-efficiency.js';
import { runOverheadPart } from './orchestration-overhead.js';
import { runRenamePart, runRenameChild } from './embedded-rename.js';

const { values } = parseArgs({
  options: {
    part: { type: 'string', multiple: true },
    seeds: { type: 'string', default: '5' },
    noise: { type: 'string', default: '0.5' },
    subtasks: { type: 'string', default: '200' },
    chain: { type: 'string', default: '50' },
    requests: { type: 'string', default: '1000' },
    files: { type: 'string', default: '1000,10000' },
    child: { type: 'string' },
  },
  allowPositionals: true,
});

if (values.child !== undefined) {
  await runRenameChild(values.child);
} else {
  const parts = new Set((values.part ?? ['a', 'b', 'c']).flatMap((p) => p.split(',')));
  console.log(
    `# bench:run: parts ${[...parts].join(', ')}; node ${process.version}; ${os.availableParallelism()} cores; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  if (parts.has('a'))
    runSchedulingPart({
      seeds: Number(values.seeds),
      noise: Number(values.noise),
      slots: [1, 2, 4, 8, 16],
      target: 1.05,
    });
  if (parts.has('b'))
    await runOverheadPart({
      subtasks: Number(values.subtasks),
      chain: Number(values.chain),
      slots: [1, 4],
      requests: Number(values.requests),
      target: 5,
    });
  if (parts.has('c')) await runRenamePart({ sizes: values.files.split(',').map(Number), slots: 4, target: 0.5 });
}
