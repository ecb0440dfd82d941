import { expect, test } from 'vitest';
import { readQuestion, unitOf } from './asked';
import { canonical } from './rational';

const read = (question: string) => {
  const asked = readQuestion(question);
  return { ...asked, stated: asked.stated.map(canonical) };
};

test('the numbers a question states, in digits, words, money, percents and clock times', () => {
  expect(
    read('Ana works three weeks, 6 hours a day, for $7.50 and a 10% tip until 5:00 pm.'),
  ).toMatchObject({
    stated: ['3', '6', '7.5', '10', '5', '0'],
  });
  expect(read('How many are left?').stated).toEqual([]);
});

test('the unit its asking sentence names, after "how many" or as "in <unit>"', () => {
  expect(read('A comet comes every 72 months. How many years pass?').unit).toBe('year');
  expect(read('It took 2 days. How many more minutes did it take?').unit).toBe('minute');
  expect(read('She saves 50 cents a day. How much money does she save, in dollars?').unit).toBe(
    'dollar',
  );
  expect(read('How long is the rope in feet?').unit).toBe('foot');
  // a unit named before the asking sentence, or a count that is no unit, is not asked for
  expect(read('He runs 3 miles a day. How many apples does he eat?').unit).toBeNull();
  expect(read('How many days in a week does he run 3 miles?').unit).toBe('day');
});

test('whether it asks for a time of day', () => {
  expect(read('The party starts at 5 pm. What time must she start?').hour).toBe(true);
  expect(read('At what time does Ben arrive?').hour).toBe(true);
  expect(read('What is the latest time she can leave?').hour).toBe(true);
  expect(read('By which hour is it done?').hour).toBe(true);
  expect(read("At what o'clock?").hour).toBe(true);
  expect(read('She goes at 5:00 pm. How many times does she go?').hour).toBe(false);
  expect(read('How much time does she spend?').hour).toBe(false);
});

test('units by their spellings and abbreviations; other words are none', () => {
  expect(['hours', 'hr', 'inches', 'feet', 'litres', 'kg', 'cents', 'Dollars'].map(unitOf)).toEqual(
    ['hour', 'hour', 'inch', 'foot', 'liter', 'kilogram', 'cent', 'dollar'],
  );
  expect(['apples', 'times', 'pages', 'a', ''].map(unitOf)).toEqual([null, null, null, null, null]);
});
