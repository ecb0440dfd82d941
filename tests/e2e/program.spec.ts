// The Program column and program samples, end to end: the mock server replies with programs
// (Qwen-Math's tool-integrated prompt differs from its prose prompt only in the system message),
// and the page runs them in its Pyodide sandbox.
import { expect, test, type Page } from '@playwright/test';
import { admin, connectMock, mockOpenAI, trackErrors } from './helpers';

const says = (n: number) => `We add and multiply: 9 * 2 = 18. So the total is \\boxed{${n}}.`;
/** A tool-integrated reply whose imagined output (99) is wrong: Tally runs the code instead. */
const tir = (body: string) =>
  `Let me compute it.\n\`\`\`python\n${body}\n\`\`\`\n\`\`\`output\n99\n\`\`\`\nThe answer is \\boxed{99}.`;
const eggs = tir('eggs = 16 - 3 - 4\nprint(f"She makes {eggs * 2} dollars")');

async function ask(page: Page, question: string) {
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
}

async function ensemble(page: Page, k: number, stop: 'beta' | 'fixed', kinds: string) {
  const toggle = page.getByLabel('Also sample an ensemble and vote');
  if (!(await toggle.isChecked())) await toggle.check();
  await page.getByLabel('Samples at most (k)').fill(String(k));
  await page.getByLabel('Stop rule').selectOption(stop);
  await page.getByLabel('What to sample').selectOption(kinds);
}

test.beforeEach(async ({ page }) => {
  // Python starts in a new worker for each page (seconds on a loaded machine)
  test.setTimeout(120_000);
  await admin(mockOpenAI(), 'reset', {});
  await page.goto('/');
  await connectMock(page);
  await page.getByLabel('Also write a Python program and run it').check();
});

test('the Program column shows the program, its output and answer; the answer’s sentence compares all three', async ({
  page,
}) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    replies: [
      { match: 'eggs', system: 'programs', outputs: [eggs] },
      { match: 'eggs', outputs: [says(16), says(18)] },
    ],
  });
  await ensemble(page, 3, 'fixed', 'prose');
  // the sandbox starts with the first solve, its worker under its own policy (no other host)
  const worker = page.waitForResponse((r) =>
    /\/sandbox\/program\.worker-[\w-]+\.js$/.test(r.url()),
  );
  await ask(page, 'How many eggs does Janet sell?');
  expect((await worker).headers()['content-security-policy']).toBe(
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'",
  );
  const column = page.getByTestId('program-result');
  await expect(page.getByTestId('program-answer')).toHaveText('18', { timeout: 60_000 });
  await expect(column.getByTestId('program-code')).toHaveText(
    'eggs = 16 - 3 - 4\nprint(f"She makes {eggs * 2} dollars")',
  );
  // highlighted: keywords, builtins, strings and numbers are their own spans
  await expect(column.locator('.py-builtin')).toHaveText('print');
  await expect(column.locator('.py-string')).toHaveText('f"She makes {eggs * 2} dollars"');
  await expect(column.getByTestId('program-output')).toHaveText('She makes 18 dollars');
  await expect(column.getByTestId('program-status')).toHaveText(
    /^\d+ tokens · \d+\.\d s writing · \d+ ms running$/,
  );
  await expect(page.getByTestId('majority-answer')).toHaveText('18', { timeout: 30_000 });
  await expect(page.getByTestId('story')).toHaveText(
    'The single call says 16 and the program and the vote say 18. Tally goes with the vote: it weighs many samples, not one. 2 of 3 samples said 18.',
  );
  await expect(page.getByTestId('answer-value')).toHaveText('18');
  await expect(page.getByTestId('history').locator('li').first()).toContainText(
    'How many eggs does Janet sell? 16 · program 18 · vote 18, 3 of 3 samples',
  );
  expect(errors).toEqual([]);
});

test('a mixed ensemble votes over prose and program answers', async ({ page }) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    replies: [
      { match: 'eggs', system: 'programs', outputs: [eggs] },
      { match: 'eggs', outputs: [says(18)] },
    ],
  });
  // a fixed k: every program sample answers (each runs in a fresh sandbox, which a loaded
  // machine takes seconds to start; the Beta rule's early stop is ensemble.spec.ts's)
  await ensemble(page, 6, 'fixed', 'both');
  await ask(page, 'How many eggs does Janet sell?');
  await expect(page.getByTestId('story')).toContainText(
    'The single call, the program and the vote all say 18.',
    { timeout: 90_000 },
  );
  const cards = page.getByTestId('ensemble-result').getByTestId('sample');
  const kinds = await cards.evaluateAll((c) => c.map((card) => card.dataset.kind));
  expect(kinds).toEqual(['prose', 'program', 'prose', 'program', 'prose', 'program']);
  for (const card of await cards.all()) {
    await expect(card.locator('summary')).toContainText('18');
  }
  const programCard = cards.and(page.locator('[data-kind="program"]')).first();
  await expect(programCard.getByTestId('sample-kind')).toHaveText('program');
  await programCard.locator('summary').click();
  await expect(programCard.getByTestId('program-code')).toContainText('eggs = 16 - 3 - 4');
  await expect(programCard.getByTestId('program-output')).toHaveText('She makes 18 dollars');
  // the prose card still shows its worked solution
  const proseCard = cards.and(page.locator('[data-kind="prose"]')).first();
  await proseCard.locator('summary').click();
  await expect(proseCard).toContainText('9 * 2 = 18');
  // one single call, one program call and the six samples (besides any verifier's calls)
  const stats = (await admin(mockOpenAI(), 'stats')) as {
    requests: { messages: { content: string }[] }[];
  };
  const solving = stats.requests.filter(
    (r) => r.messages.at(-1)?.content === 'How many eggs does Janet sell?',
  );
  expect(solving).toHaveLength(2 + 6);
  expect(errors).toEqual([]);
});

test('a Python error, a program that prints no number and a reply without a program are each said so', async ({
  page,
}) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    replies: [
      { match: 'divide', system: 'programs', outputs: [tir('print(18 / 0)')] },
      { match: 'silent', system: 'programs', outputs: [tir('print("done")')] },
      { match: 'words', system: 'programs', outputs: ['I would rather not write code.'] },
    ],
  });
  const column = page.getByTestId('program-result');
  await ask(page, 'Can we divide?');
  await expect(column.getByTestId('program-error')).toContainText('ZeroDivisionError', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('program-answer')).toHaveText('—');
  await ask(page, 'A silent program');
  await expect(column.getByTestId('program-error')).toHaveText('The program printed no number.');
  await expect(column.getByTestId('program-output')).toHaveText('done');
  await ask(page, 'Just words');
  await expect(column.getByTestId('program-error')).toHaveText(
    'The reply holds no Python program.',
  );
  await expect(column.getByTestId('program-reply')).toHaveText('I would rather not write code.');
  expect(errors).toEqual([]);
});

test('Stop ends a running program, and the next problem runs in a new sandbox', async ({
  page,
}) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    replies: [
      { match: 'forever', system: 'programs', outputs: [tir('while True:\n    pass')] },
      { match: 'after', system: 'programs', outputs: [tir('print(6 * 7)')] },
    ],
  });
  await ask(page, 'Loop forever');
  const column = page.getByTestId('program-result');
  await expect(column.getByTestId('program-status')).toHaveText('Running the program…', {
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(column.getByTestId('program-status')).toHaveText('Stopped.');
  await expect(page.getByRole('button', { name: 'Solve' })).toBeEnabled();
  await ask(page, 'And after that?');
  await expect(page.getByTestId('program-answer')).toHaveText('42', { timeout: 60_000 });
  expect(errors).toEqual([]);
});
