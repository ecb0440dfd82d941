// Strips the LaTeX that wraps numbers in model output (\frac, \text, \$, 1{,}000) to plain text.
// Unknown commands pass through unchanged, so a number inside them may be missed, never invented.

/** Replaces the LaTeX a number can hide in with the plain text it means. */
export function unlatex(text: string): string {
  let out = text;
  // innermost first: \frac{a}{b} -> a/b, with a space after a whole part ("2\frac{1}{2}")
  for (let i = 0; i < 8; i += 1) {
    const next = out
      .replace(/(\d)\s*\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, '$1 $2/$3')
      .replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, '$1/$2')
      .replace(
        /\\(?:boxed|fbox|text|textbf|textrm|mathrm|mathbf|mbox|operatorname)\s*\{([^{}]*)\}/g,
        ' $1 ',
      )
      .replace(/\{([^{}]*)\}/g, '$1');
    if (next === out) break;
    out = next;
  }
  return out
    .replace(/(\d)\{?,\}?(?=\d{3})/g, '$1,')
    .replace(/(\d)\\[,;! ](?=\d{3})/g, '$1')
    .replace(/\\\$/g, '$')
    .replace(/\\%/g, '%')
    .replace(/\\(?:left|right)\b/g, '')
    .replace(/\\(?:times|cdot)/g, '*')
    .replace(/\\(?:approx|simeq)/g, '≈')
    .replace(/\^\s*\\circ/g, '')
    .replace(/\\[,;:! ()[\]]/g, ' ')
    .replace(/\*\*/g, ' ');
}
