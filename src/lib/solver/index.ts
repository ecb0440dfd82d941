// The solver's public API: prompt, extract, compare, vote, stop, check, solve. Pure TypeScript.
// Nothing here touches the DOM, IndexedDB or a worker, so it runs in the page, a worker and Node.
export { promptFor, boxedDirective, type PromptFamily } from './prompt';
export { extractAnswer, extractDetail, type AnswerSource, type Extracted } from './extract';
export { answersEqual, normalizeAnswer, parseAnswer, relativeTolerance } from './equal';
export { tally, histogram, type Bucket, type Vote } from './vote';
export {
  shouldStop,
  voteUntilStop,
  stopRuleProblem,
  stopRuleOf,
  ruleName,
  defaultStopRule,
  type StopRule,
} from './stop';
export { leadProbability, betaCdf } from './beta';
export {
  checkSolution,
  arithmeticWeight,
  checkedWeight,
  wrongWeight,
  type CheckResult,
  type Step,
} from './check';
export {
  solveSingle,
  solveEnsemble,
  defaultSampling,
  maxSamples,
  type SampleResult,
  type SolveOptions,
  type SingleOptions,
  type EnsembleOptions,
  type EnsembleResult,
  type StopReason,
  type LogprobsStatus,
} from './solve';
export {
  sampleConfidence,
  tokenConfidence,
  confidenceWindow,
  tailTokens,
  defaultEarlyStop,
  type EarlyStop,
  type SampleConfidence,
} from './confidence';
export {
  aggregateAll,
  aggregationLabels,
  aggregationTerms,
  aggregationNames,
  defaultAggregation,
  defaultKeepShare,
  type Aggregate,
  type AggregationName,
} from './aggregate';
export { type Verification, type Verdict } from './verify';
export { questionProblem, maxQuestionLength } from './question';
export {
  fields,
  fieldProblem,
  stopRuleNames,
  sampleKindNames,
  verifyWords,
  sampleKindAt,
  type SampleKinds,
  type FieldName,
  type NumberField,
  type StopRuleName,
} from './fields';
export {
  agreementPattern,
  chosenPart,
  decidingRule,
  listed,
  partNames,
  partWords,
  patternWords,
  storySentence,
  voteSentence,
  type Part,
  type PartName,
} from './story';
