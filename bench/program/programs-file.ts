// Writes a `grade --programs` input of N replies (default 1,000) from the project's programs, to
// measure the grade CLI's memory over many runs: `npx tsx bench/program/programs-file.ts OUT.jsonl [N]`.
// Every 50th reply has a wrong gold answer, every 100th raises, and two loop forever and two
// exhaust memory, so every way of ending is in the run.
import { writeFileSync } from 'node:fs';
import { benchPrograms } from './programs';

const [out, count = '1000'] = process.argv.slice(2);
const n = Number(count);
if (out === undefined || !Number.isInteger(n) || n < 1) {
  console.error('Usage: npx tsx bench/program/programs-file.ts OUT.jsonl [N]');
  process.exit(2);
}

const fenced = (code: string): string => `Here is the program.\n\n\`\`\`python\n${code}\`\`\``;
const special = new Map([
  [Math.floor(n / 3), 'while True:\n    pass\n'],
  [Math.floor((2 * n) / 3), 'while True:\n    pass\n'],
  [Math.floor(n / 2), 'x = [0] * (10 ** 9)\n'],
  [Math.floor((3 * n) / 4), 'x = [0] * (10 ** 9)\n'],
]);
const lines: string[] = [];
for (let i = 0; i < n; i += 1) {
  const program = benchPrograms[i % benchPrograms.length];
  if (program === undefined) throw new Error('no bench programs');
  const code = special.get(i) ?? (i % 100 === 99 ? 'print(1 / 0)\n' : program.code);
  const gold = i % 50 === 49 ? `${program.answer}1` : program.answer;
  lines.push(JSON.stringify({ id: i + 1, output: fenced(code), gold }));
}
writeFileSync(out, `${lines.join('\n')}\n`);
console.error(`wrote ${n} program replies to ${out}`);
