// Extraction that knows the question (issue 24): each shape read with and without the question,
// near misses whose answer the question must not change, and Tally's own replies read both ways.
import { describe, expect, test } from 'vitest';
import { gold, problems, replies } from '../../../tests/data/problems';
import { answersEqual } from './equal';
import { extractAnswer } from './extract';

// [question, reply, the answer read with the question, the answer read without it]
const shapes: [string, string, string, string][] = [
  // a closing restatement that ends on a number the question states, in words or digits
  [
    'A bakery bakes 122 loaves a week. How many loaves does it bake in three weeks?',
    'It bakes 122 loaves every week.\nSo the bakery sold 366 loaves over the three weeks.',
    '366',
    '3',
  ],
  [
    'Ana washes cars for $7 an hour. How much does she earn in 6 hours?',
    'Seven dollars an hour adds up.\nTherefore, Ana earned $42 from washing cars for 6 hours.',
    '42',
    '6',
  ],
  [
    'Each of the two chapters Lucy has left is 30 pages long. How many pages must she read?',
    'Both chapters are 30 pages.\nSo she has to read 60 pages to finish the two chapters.',
    '60',
    '2',
  ],
  // of two numbers the question does not state, the last step's result
  [
    'Omar has $60 and buys 3 books at $5 each. How much money does he have left?',
    'The books cost $15 in all, and 60 - 15 = 45.\nSo he has $45 left after paying $15 for the 3 books.',
    '45',
    '3',
  ],
  // a clock time answers a question for the hour, with or without minutes
  [
    'Mia needs 3 hours to bake a cake for a party at 5:00 pm. What is the latest time she can start?',
    'She needs 3 hours before the party.\nSo she can start no later than 2:00 pm to be done by 5:00 pm.',
    '2',
    '0',
  ],
  [
    'Mia needs 3 hours to bake a cake for a party at 5 pm. At what time must she start?',
    'She needs 3 hours before the party.\nSo she must start by 2 pm to be done by 5 pm.',
    '2',
    '5',
  ],
  [
    "Ben's train leaves at 9:30 am and the ride takes 2 hours. At what hour does Ben arrive?",
    'The ride takes 2 hours.\nBen arrives at 11:30 am.',
    '11',
    '30',
  ],
  // a last sentence that converts: the number in the unit the question asks for
  [
    'A comet comes back every 72 months. How many years pass between its visits?',
    'A year has 12 months.\nThe comet comes back every 6 * 12 = 72 months, which is 6 years.',
    '6',
    '72',
  ],
  [
    'Rosa puts 50 cents in her jar every day for 3 days. How much money does she save, in dollars?',
    'So she saves 3 * 50 = 150 cents, which is $1.50.',
    '1.5',
    '150',
  ],
  [
    'A movie is 2 hours and 30 minutes long. How long is it in hours?',
    'An hour has 60 minutes.\nSo the movie lasts 2 * 60 + 30 = 150 min, or 2.5 hrs.',
    '2.5',
    '150',
  ],
  // a JSON "answer" holding a sentence is read for its result, question or not
  [
    'Dana earns $10 an hour for 40 hours and $12 an hour for 5 hours of overtime. How much does she earn?',
    '{"reasoning": "Regular pay plus overtime.", "answer": "She earns 40 * $10 = $400. Plus 5 * $12 = $60 of overtime, so $400 + $60 = $460 in all."}',
    '460',
    '460',
  ],
  [
    'Dana earns $10 an hour for 40 hours and $12 an hour for 5 hours of overtime. How much does she earn?',
    '{"answer": "She earns 40 * $10 = $400 for the week; with $60 of overtime that is $460 in all."}',
    '460',
    '460',
  ],
  [
    'Dana earns $10 an hour for 40 hours and $12 an hour for 5 hours of overtime. How much does she earn?',
    '{"answer": "40 * 10 = 400\\n5 * 12 = 60\\nTotal: 400 + 60 = 460 dollars"}',
    '460',
    '460',
  ],
  [
    'A bakery bakes 122 loaves a week. How many loaves does it bake in three weeks?',
    '{"answer": "So the bakery sold 366 loaves over the three weeks."}',
    '366',
    '3',
  ],
  // text after a JSON block that reaches a different result wins
  [
    'Leo practices piano for 9 hours every week. How many hours does he practice in 4 weeks?',
    '```json\n{"reasoning": "9 hours a week for 6 days", "answer": "54"}\n```\nWait, the question asks about 4 weeks, so in 4 weeks he spends 9 * 4 = 36 hours.',
    '36',
    '36',
  ],
  [
    'Leo practices piano for 9 hours every week. How many hours does he practice in 4 weeks?',
    '{"answer": 54, "unit": "hours", "note": "a {braced} aside"}\nCorrection: 9 * 4 = 36.',
    '36',
    '36',
  ],
  [
    'A club has raised $174 of the $200 it needs. How much more does it need?',
    '{"answer": "33"}\nThat is wrong: 200 minus 174 equals 26.\nSo the club needs $26 more.',
    '26',
    '26',
  ],
];

// replies whose answer is read the same with the question as without it
const kept: [string, string, string][] = [
  // the question states the answer, and the sentence holds no number it does not state
  [
    'A carton holds 6 eggs. Nora uses none of them. How many of the 6 eggs are left?',
    'Nora does not use any of the eggs.\nSo 6 are left.',
    '6',
  ],
  // the question states the answer, but a step computed it: it is the result
  [
    'Tom has 6 red cars and buys 3 more. How many more red cars does he have than before?',
    'Tom has 6 + 3 = 9 red cars now, and 9 - 6 = 3.\nSo he has 9 red cars now, 3 more than before.',
    '3',
  ],
  // a number the question does not state ends the sentence: read as before
  [
    'Sara has 12 pens and gives away 4. How many pens does she have left?',
    'She gives away 4 of the 12 pens.\nSo she has 8 pens left.',
    '8',
  ],
  // clock times in a question that asks how long, not what time
  [
    'A shop opens at 9:00 am and closes at 2:00 pm. How many hours is it open?',
    'From 9 to 14 is 14 - 9 = 5.\nIt is open 5 hours, from 9:00 am until 2:00 pm.',
    '5',
  ],
  // the last sentence converts into the unit asked for, or holds only that unit
  [
    'A project takes 6 years. How many months does it take?',
    'Each year has 12 months.\nSo the project takes 6 years, which is 72 months.',
    '72',
  ],
  // a number in the unit asked for before the one read is no conversion
  [
    'A podcast runs 1 hour and 45 minutes. How many hours are left of a 6-hour drive?',
    'The podcast is 1 hour and 45 min, or 60 + 45 = 105 minutes long.',
    '105',
  ],
  [
    'Kim works 8 hours a day for 5 days. How many hours does she work?',
    'She works 8 hours a day for 5 days, so 8 * 5 = 40 hours.',
    '40',
  ],
  [
    'A movie is 2 hours long. How many minutes is that?',
    'It lasts 2 hours, which is 2 * 60 = 120 minutes.',
    '120',
  ],
  // a JSON "answer" whose working is an aside in parentheses, or that opens with a number and
  // goes on working
  [
    'Janet sells 9 eggs at $2 each. How much does she make?',
    '{"answer": "18 (9 eggs * $2)"}',
    '18',
  ],
  [
    'Newton had 5 apples and 6 more fell. How many does he have?',
    '{"answer": "6 more apples fell out of the tree, bringing his total to 5 + 6 = 11 apples."}',
    '11',
  ],
  [
    'A school has 40 classes of 25 students. How many students are there?',
    '{"answer": "40 classes take part, with 25 students each, so 1000 students in all."}',
    '1000',
  ],
  // after a JSON block: a note that computes nothing, or work that reaches the same result
  [
    'Sam reads 9 pages a day for 6 days. How many pages does he read?',
    '{"reasoning": "9 * 6 = 54", "answer": 54}\nI assumed he reads on each of the 6 days.',
    '54',
  ],
  [
    'Sam reads 9 pages a day for 6 days. How many pages does he read?',
    '{"answer": "54 pages"}\nCheck: 6 * 9 = 54.',
    '54',
  ],
  // a later explicit statement still wins over the JSON block
  [
    'Sam reads 9 pages a day for 6 days. How many pages does he read?',
    '{"answer": 45}\nOops, 9 * 6 = 54. The answer is 54.',
    '54',
  ],
  // a reply cut off inside its JSON answer is read as a statement
  [
    'Sam reads 9 pages a day for 6 days. How many pages does he read?',
    '{"reasoning": "9 * 6", "answer": "54 pages in all, since',
    '54',
  ],
];

describe('extraction with the question', () => {
  test.each(shapes)('%j: %j gives %s with it, %s without', (question, reply, withIt, without) => {
    expect(extractAnswer(reply, question)).toBe(withIt);
    expect(extractAnswer(reply)).toBe(without);
  });

  test.each(kept)('%j: %j gives %s either way', (question, reply, want) => {
    expect(extractAnswer(reply, question)).toBe(want);
    expect(extractAnswer(reply)).toBe(want);
  });

  test('an empty question reads like no question', () => {
    for (const [, reply, , without] of shapes) expect(extractAnswer(reply, '')).toBe(without);
  });
});

describe("Tally's replies (tests/data/replies.jsonl)", () => {
  test('with its question, every reply gives its gold answer', () => {
    const misses = replies.filter(
      (p) => !answersEqual(extractAnswer(p.output, p.question), gold(p.answer)),
    );
    expect(misses).toEqual([]);
  });

  test('without its question, the replies that need it are misread, and no other', () => {
    const misread = replies.flatMap((p, i) =>
      answersEqual(extractAnswer(p.output), gold(p.answer)) ? [] : [i + 1],
    );
    expect(misread).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('every reference solution, its #### line removed, gives its gold with its question', () => {
    const misses = [...problems, ...replies].filter((p) => {
      const reasoning = p.answer.replace(/\n?####[^\n]*$/, '');
      return extractAnswer(reasoning, p.question) !== gold(p.answer);
    });
    expect(misses).toEqual([]);
  });
});
