/**
 * The cue table. Each entry is a phrase pattern (matched whole-word, case-insensitively, spaces
 * matching any whitespace) and where it may start:
 * - `anywhere`: the phrase is specific enough ("let me double-check", "off-by-one");
 * - `clause`: a noisy word that is a cue only when it opens a sentence or a clause, optionally after
 *   a comma, dash or interjection ("Hmm, wait", "— actually", "Oh wait") but not "wait for the lock"
 *   or "I actually like";
 * - `sentence`: even noisier, only at a sentence start ("But the list may be empty.", not "x, but y").
 * Sources: DeepSeek-R1's tracked words, Dr. GRPO's reflection keywords, and code-specific cues
 * (docs/analysis.md). Add phrases here, and a labelled example for each in test/fixtures/aha.
 */
import { FILLER } from './mask';
import type { CueCategory } from './types';

export type StartRule = 'anywhere' | 'clause' | 'sentence';

export interface CueDefinition {
  category: CueCategory;
  /** Regular-expression source; a space matches any run of whitespace. */
  pattern: string;
  start: StartRule;
}

const SUBJECT = String.raw`(?:let me|let's|let us|I(?:'ll| will| should| need to| can| must| want to)|we(?:'ll| should| need to| can| must)|now)`;
const ADVERB = String.raw`(?:(?:quickly|also|just|first|then|still) )?`;
const THAT = String.raw`(?:that|this|it)`;
/**
 * What may follow a clause-initial "Check"/"Testing" for it to be a check, not a description
 * ("Checking whether …"): a colon or comma, masked code (`Testing "abc"`), or an object to check.
 */
const CHECK_OBJECT = String.raw`(?=\s*[:,${FILLER}]| (?:with|on|against|again|it|this|that|my|the (?:examples?|output|result|answer|solution|code|function|edge|first|second|third|last|sample|visible))\b)`;
const CONTAINER = String.raw`(?:list|string|str|input|array|dict|dictionary|set|tuple|sequence|stack|queue|deque|matrix|grid|tree|graph|file|line|text|collection|iterable|range|result|map|object)`;

export const CUES: readonly CueDefinition[] = [
  // pause
  { category: 'pause', pattern: String.raw`wait(?! (?:for|until|till|on|upon|to|in line)\b)`, start: 'clause' },
  { category: 'pause', pattern: String.raw`hm+`, start: 'clause' },
  { category: 'pause', pattern: String.raw`hold on(?! to\b)`, start: 'clause' },
  // verify
  { category: 'verify', pattern: String.raw`${SUBJECT} ${ADVERB}(?:double[- ]?|re-?)?(?:check|verify|test|confirm|validate)(?: again)?`, start: 'anywhere' },
  { category: 'verify', pattern: String.raw`(?:let me|let's) make sure`, start: 'anywhere' },
  { category: 'verify', pattern: String.raw`${SUBJECT} ${ADVERB}(?:trace|walk|step|run) (?:through|it through)|${SUBJECT} ${ADVERB}dry[- ]run`, start: 'anywhere' },
  { category: 'verify', pattern: String.raw`double[- ]?check(?:ing|ed)?`, start: 'anywhere' },
  { category: 'verify', pattern: String.raw`re-?check(?:ing|ed)?|check(?:ing)? again|verify again|sanity[- ]check(?:ing)?`, start: 'anywhere' },
  { category: 'verify', pattern: String.raw`(?:verify|verifying|check|checking|test|testing|tracing)${CHECK_OBJECT}`, start: 'clause' },
  { category: 'verify', pattern: String.raw`(?:(?:running|run|tracing|trace|stepping|simulating|executing|checking|computing) (?:(?:it|this|that|the code|the function|the loop) )?)?(?:in my head|by hand)|mentally (?:run|running|trace|tracing|simulate|simulating|execute|executing|check|checking|compute|computing)`, start: 'anywhere' },
  { category: 'verify', pattern: String.raw`plug(?:ging)? in|does ${THAT} work`, start: 'anywhere' },
  // backtrack
  { category: 'backtrack', pattern: String.raw`actually(?! \w+ing\b)`, start: 'clause' },
  { category: 'backtrack', pattern: String.raw`${THAT}(?:'s| is| was) (?:not (?:quite )?(?:right|correct)|wrong|incorrect)|${THAT} can(?:'t|not) be right`, start: 'anywhere' },
  { category: 'backtrack', pattern: String.raw`(?:is|was|are|were) (?:wrong|incorrect|backwards)`, start: 'anywhere' },
  { category: 'backtrack', pattern: String.raw`I (?:forgot|missed|misread|overlooked|misunderstood|mixed up|confused)`, start: 'anywhere' },
  { category: 'backtrack', pattern: String.raw`(?:let me|let's|I'll|I should) go back|going back to (?:my|the) (?:first|previous|original|earlier)`, start: 'anywhere' },
  { category: 'backtrack', pattern: String.raw`${THAT} (?:won't|will not|doesn't|does not|wouldn't|would not) work`, start: 'anywhere' },
  { category: 'backtrack', pattern: String.raw`I(?:'ve)? (?:made|make) (?:a|an) (?:mistake|error)|my (?:mistake|bad)|I was wrong|I messed up`, start: 'anywhere' },
  { category: 'backtrack', pattern: String.raw`there(?:'s| is) (?:a|an) (?:mistake|bug|error)`, start: 'anywhere' },
  { category: 'backtrack', pattern: String.raw`scratch that|oops|whoops|oh no`, start: 'anywhere' },
  { category: 'backtrack', pattern: String.raw`(?:let me|let's|I need to|I should) (?:fix|correct|redo|rewrite)`, start: 'anywhere' },
  { category: 'backtrack', pattern: String.raw`instead(?! of\b)|correction`, start: 'clause' },
  // reconsider
  { category: 'reconsider', pattern: String.raw`re-?think(?:ing)?|re-?consider(?:ing)?|re-?examin(?:e|ing)|re-?evaluat(?:e|ing)|re-?assess(?:ing)?|re-?analy[sz](?:e|ing)|re-?read(?:ing)?|think again|(?:look|go) (?:at|over) (?:this|it|that|the problem) again`, start: 'anywhere' },
  { category: 'reconsider', pattern: String.raw`(?:another|a different|a better|a simpler|an alternative) (?:approach|way|idea|method|strategy|option)|try something else`, start: 'anywhere' },
  { category: 'reconsider', pattern: String.raw`alternatively|on second thought`, start: 'anywhere' },
  { category: 'reconsider', pattern: String.raw`however(?! (?:many|much|long|often|large|small|big)\b)`, start: 'clause' },
  { category: 'reconsider', pattern: String.raw`but(?! first\b)(?![\s,]+(?:wait|actually|hm+|hold on)\b)`, start: 'sentence' },
  // code
  { category: 'code', pattern: String.raw`(?:edge|corner|boundary)[- ]cases?|off[- ]by[- ]one`, start: 'anywhere' },
  { category: 'code', pattern: String.raw`empty ${CONTAINER}s?`, start: 'anywhere' },
  { category: 'code', pattern: String.raw`${THAT} (?:fails|breaks|crashes)|(?:would|will|could) (?:fail|break|crash)|(?:doesn't|does not|won't|wouldn't|can't|cannot) handle`, start: 'anywhere' },
  { category: 'code', pattern: String.raw`(?:the )?tests? (?:expects?|wants?|asserts?|checks?|requires?|compares?)|expected [^.\n]{1,40}? but got`, start: 'anywhere' },
  { category: 'code', pattern: String.raw`traceback|error:|assertion fails`, start: 'anywhere' },
  { category: 'code', pattern: String.raw`(?:Index|Key|Type|Value|ZeroDivision|Attribute|Name|Recursion|Assertion|Runtime|Overflow|UnboundLocal|Import|ModuleNotFound|Syntax|Indentation)Error|StopIteration`, start: 'anywhere' },
  { category: 'code', pattern: String.raw`returns None|infinite (?:loop|recursion)|(?:index )?out of (?:range|bounds)`, start: 'anywhere' },
];
