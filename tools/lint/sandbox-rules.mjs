/**
 * The project's own lint rules, loaded by oxlint as a JS plugin (.oxlintrc.json `jsPlugins`).
 *
 * `sandbox/no-implicit-now`: real time and real randomness enter only through the clock and random modules.
 * `no-restricted-properties` catches `Date.now()`, `Math.random()` and `crypto.randomUUID()` written plainly;
 * this rule catches the other spellings: `new Date()` and `Date()` without an argument (both read the wall
 * clock), and the same through `globalThis`/`window` (`globalThis.Date.now()`, `new globalThis.Date()`,
 * `globalThis.crypto.randomUUID()`). An alias (`const D = Date`) is not followed: that is a decision, not a slip.
 */
const GLOBALS = new Set(['globalThis', 'window', 'self', 'global']);

/** `Date` or `globalThis.Date` (and the like). */
function isGlobal(node, name) {
  if (node.type === 'Identifier') return node.name === name;
  return (
    node.type === 'MemberExpression' && !node.computed && node.property.name === name && node.object.type === 'Identifier' && GLOBALS.has(node.object.name)
  );
}

export default {
  meta: { name: 'sandbox' },
  rules: {
    'no-implicit-now': {
      meta: {
        type: 'problem',
        docs: { description: 'disallow reading the wall clock or the platform random outside the clock and random modules' },
        messages: {
          now: '{{what}} reads real time: take the time from the sandbox clock (clock.now())',
          random: '{{what}} is real randomness outside the random module: ids from the seeded random, secrets from secureRandomBytes',
        },
      },
      create(context) {
        const report = (node, messageId, what) => context.report({ node, messageId, data: { what } });
        return {
          NewExpression(node) {
            if (isGlobal(node.callee, 'Date') && node.arguments.length === 0) report(node, 'now', 'new Date()');
          },
          CallExpression(node) {
            const callee = node.callee;
            if (isGlobal(callee, 'Date')) return report(node, 'now', 'Date()');
            if (callee.type !== 'MemberExpression' || callee.computed) return;
            const method = callee.property.name;
            // Plain `Date.now()` and `crypto.randomUUID()` are no-restricted-properties' to report; these are the rest.
            if (method === 'now' && callee.object.type === 'MemberExpression' && isGlobal(callee.object, 'Date')) report(node, 'now', 'Date.now()');
            if (method === 'randomUUID' && callee.object.type === 'MemberExpression' && isGlobal(callee.object, 'crypto'))
              report(node, 'random', 'crypto.randomUUID()');
            if (method === 'random' && callee.object.type === 'MemberExpression' && isGlobal(callee.object, 'Math')) report(node, 'random', 'Math.random()');
          },
        };
      },
    },
  },
};
