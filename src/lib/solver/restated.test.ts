// Closing restatements (issue 15, point 9): the final sentence restates the computed result and
// then names a quantity from the question; extraction reads the result, not the quantity.
import { describe, expect, test } from 'vitest';
import { extractAnswer } from './extract';

// [solution, the answer]
const restatements: [string, string][] = [
  // the three shapes graded upstream
  [
    'Maya saves $70 a week, so over the weeks: 70 * 12 = $840\nTherefore, Maya saves $840 if she keeps it up for 12 weeks.',
    '840',
  ],
  [
    'The 3 albums hold 60 + 70 + 85 = 215 stickers.\nSo there are a total of 215 stickers across the 3 albums.',
    '215',
  ],
  [
    'The pump fills 30 cups a minute, so it needs 180 / 30 = 6 minutes.\nIt takes 6 minutes for the pump to fill 180 cups.',
    '6',
  ],
  // a calculator annotation computed the result
  ['He pays 12*70=<<12*70=840>>840 dollars.\nSo he pays $840 in all for 12 weeks.', '840'],
  ['He pays <<12*70=840>>840 dollars.\nSo he pays $840 in all for 12 weeks.', '840'],
  // units
  [
    'Each lap is 400 meters, so 400 * 8 = 3200.\nShe runs 3200 meters when she does 8 laps.',
    '3200',
  ],
  ['Each bag holds 2.5 kg, so 2.5 * 4 = 10.\nThe 4 bags weigh 10 kg in all, 2.5 kg each.', '10'],
  // times of day
  [
    'The shift lasts 14 - 9 = 5 hours.\nShe works 5 hours if she starts at 9:00 am and leaves at 2:00 pm.',
    '5',
  ],
  ['The movie runs 3 * 40 = 120 minutes.\nIt lasts 120 minutes and ends at 2:00 pm.', '120'],
  // money
  [
    'Her $200 gift card pays for the shoes and the bag: $60 + $45 = $105.\nShe spends $105 on the shoes and the bag, paying with the $200 gift card.',
    '105',
  ],
  [
    'A ticket costs $12.50, so 4 tickets cost 4 * 12.50 = $50.\nThe family pays $50.00 for its 4 tickets.',
    '50',
  ],
  // negatives and differences
  [
    'The scooter costs 120 - 80 = 40 dollars more than the bike.\nSo the bike costs $40 less than the $120 scooter.',
    '40',
  ],
  [
    'Overnight the temperature changes by 5 - 12 = -7 degrees.\nIt ends at -7 degrees after starting at 12 degrees.',
    '-7',
  ],
];

// closing sentences whose last number is the answer: read as before. (The rule's limit: a
// quantity after the result that the work never wrote is not known to restate the question, so
// "…120 stickers across the 2 albums." with no 2 in the work is still read as 2.)
const unchanged: [string, string][] = [
  ['She had 3 + 4 = 7 apples.\nShe gives 2 away, so she has 5 left.', '5'],
  ['Since 1.76 is less than 2 inches, he recycles it: 1.76 = 1.76.\nHe waits 2 days.', '2'],
  ['He buys 3 * 4 = 12 eggs.\nThen he buys 12 more, so he has 24.', '24'],
  ['There are 5 * 6 = 30 chairs.\nSo there are 30 chairs.', '30'],
  ['He reads 10 pages a day.\nIn 12 days he reads 120 pages.', '120'],
  ['Each of the 3 boxes holds 4 = 4 pens.\nShe buys 3 more boxes, 15 pens.', '15'],
];

describe('closing restatements', () => {
  test.each(restatements)('%j gives %s', (text, want) => {
    expect(extractAnswer(text)).toBe(want);
  });

  test.each(unchanged)('%j still gives %s', (text, want) => {
    expect(extractAnswer(text)).toBe(want);
  });
});
