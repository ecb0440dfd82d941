// The one check every entry point (app, widget, benchmark) applies to a typed problem.
// Returns a message a person can act on, or undefined when the question can be sent.
import { grouped } from '../format';

/** characters; a GSM8K problem is under 1,000 */
export const maxQuestionLength = 4000;

export function questionProblem(question: string): string | undefined {
  const text = question.trim();
  if (text.length === 0) return 'Type a word problem first.';
  if (text.length > maxQuestionLength) {
    return `That is ${grouped(text.length)} characters; the limit is ${grouped(maxQuestionLength)}. Shorten the problem to its question and the facts it needs.`;
  }
  return undefined;
}
