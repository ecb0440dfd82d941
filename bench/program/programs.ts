// The project's own programs for `npm run bench:program`: GSM8K-style problems solved the way the
// PAL prompt asks (solution() returning the answer), and the way Qwen's tool-integrated replies do
// (printing it), with the standard library modules such programs import.

export interface BenchProgram {
  name: string;
  code: string;
  /** what the program's answer must be: a wrong answer voids the timing */
  answer: string;
}

export const benchPrograms: BenchProgram[] = [
  {
    name: 'eggs (solution)',
    code: `def solution():
    eggs_per_day = 16
    eaten = 3
    baked = 4
    price = 2
    return (eggs_per_day - eaten - baked) * price
`,
    answer: '18',
  },
  {
    name: 'robe (print)',
    code: `blue = 2
white = blue / 2
print(int(blue + white))
`,
    answer: '3',
  },
  {
    name: 'house flip (fractions)',
    code: `from fractions import Fraction

def solution():
    cost = 80000 + 50000
    value = 80000 * (1 + Fraction(150, 100))
    return value - cost
`,
    answer: '70000',
  },
  {
    name: 'sprints (loop)',
    code: `def solution():
    total = 0
    for week_day in range(3):
        for sprint in range(3):
            total += 60
    return total
`,
    answer: '540',
  },
  {
    name: 'feed (math)',
    code: `import math

def solution():
    chickens = 20
    per_chicken = 3
    morning = 15
    afternoon = 25
    return math.fsum([chickens * per_chicken, -morning, -afternoon])
`,
    answer: '20',
  },
  {
    name: 'glasses (list comprehension)',
    code: `def solution():
    prices = [5 if i % 2 == 0 else 5 * 0.6 for i in range(16)]
    return sum(prices)
`,
    answer: '64',
  },
  {
    name: 'primes (search)',
    code: `def is_prime(n):
    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))

print(sum(1 for n in range(2, 5000) if is_prime(n)))
`,
    answer: '669',
  },
  {
    name: 'combinations (itertools)',
    code: `from itertools import combinations

coins = [1, 5, 10, 25, 50]
ways = sum(1 for r in range(1, 6) for c in combinations(coins, r) if sum(c) == 60)
print(ways)
`,
    answer: '1',
  },
];
