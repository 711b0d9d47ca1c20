/**
 * The project's own lint rules, loaded by oxlint as a JS plugin (.oxlintrc.json `jsPlugins`).
 *
 * `sandbox/no-implicit-now`: `new Date()` without an argument reads the wall clock, as `Date.now()` does
 * (which `no-restricted-properties` catches). Time in the sandbox comes from the sandbox clock, which
 * scenarios freeze and shift; only the clock modules may read real time.
 */
export default {
  meta: { name: 'sandbox' },
  rules: {
    'no-implicit-now': {
      meta: {
        type: 'problem',
        docs: { description: 'disallow new Date() without an argument outside the clock modules' },
        messages: { now: 'new Date() without an argument reads real time: take the time from the sandbox clock (clock.now())' },
      },
      create(context) {
        return {
          NewExpression(node) {
            if (node.callee.type === 'Identifier' && node.callee.name === 'Date' && node.arguments.length === 0) context.report({ node, messageId: 'now' });
          },
        };
      },
    },
  },
};
