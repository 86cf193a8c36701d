// Which passwords are accepted (NIST SP 800-63B): no composition rules, any characters, long
// passphrases welcome; refused are the common, breached-style and guessable ones.
import { fail } from '../errors';

/**
 * Built for each check and dropped after it: the estimator with its ranked dictionaries holds about
 * 4 MB of heap and takes about 25 ms to build, while passwords are set a handful of times in a shop's
 * life (setup, invitations). The package itself (about 17 MB resident with its word lists) is imported
 * at the first check, not at start, so a service that only takes uploads never holds it.
 */
async function buildEstimator() {
  const [{ ZxcvbnFactory }, common] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]);
  return new ZxcvbnFactory({
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary },
    // The estimate's cost grows with length; a passphrase this long is judged by its start, and its
    // start alone being weak is rare enough to ask for another.
    maxLength: 100,
  });
}

/**
 * zxcvbn's score 2 means about a million guesses or more: enough against sign-ins that are limited
 * per address and account. Below it, or close to a known leaked password, a guesser tries it early.
 */
const MIN_SCORE = 2;
const knownPasswordWarnings = new Set(['topTen', 'topHundred', 'common', 'similarToCommon', 'userInputs', 'pwned']);

const advice: Record<string, string> = {
  topTen: 'it is one of the ten most used passwords',
  topHundred: 'it is one of the hundred most used passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is a commonly used password with small changes',
  userInputs: 'it is made of the email address or the shop name',
  straightRow: 'it is a straight row of keys',
  keyPattern: 'it is a short keyboard pattern',
  simpleRepeat: 'it repeats the same characters',
  extendedRepeat: 'it repeats the same few characters',
  sequences: 'it is a common sequence such as abc or 123',
  recentYears: 'it is a recent year',
  dates: 'it is a date',
};

/** Refuses a weak password with 400 WEAK_PASSWORD; `context` holds words guessers know (email, shop name). */
export async function requireStrongPassword(password: string, context: string[] = []): Promise<void> {
  const words = ['packtrail', ...context.flatMap((item) => item.toLowerCase().split(/[^\p{L}\p{N}]+/u))].filter((word) => word.length >= 3);
  const result = (await buildEstimator()).check(password, words);
  const warning = result.feedback.warning ?? '';
  if (result.score >= MIN_SCORE && !knownPasswordWarnings.has(warning)) return;
  const reason = advice[warning] ?? 'it is too easy to guess';
  fail('WEAK_PASSWORD', `This password is refused because ${reason}. Try a passphrase of a few unrelated words; spaces and any language are welcome.`);
}
