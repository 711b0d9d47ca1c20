/**
 * The rule catalogue: every spec rule a trace event demonstrates and every reason a participant gives,
 * by id, in English (the trace's own words) and Dutch. Participants put them on the trace with `cite`
 * and `because`; readers (reports, the PGO's UI) turn an event's `ruleId` and `params` into text with
 * `describe`. Grouped per participant; see each file's header.
 */
import { register } from './catalogue.js';
import { DVZA_RULES } from './dvza.js';
import { DVZA_AUTHORIZE, DVZA_CONSENTS, DVZA_PAGE, DVZA_TO_CLIENT } from './dvza-authorize.js';
import { DVZA_FHIR, DVZA_SEARCH } from './dvza-fhir.js';
import { DVZA_ASSERTION, DVZA_LOGIN } from './dvza-login.js';
import { DVZA_TOKEN } from './dvza-token.js';
import { LISTS, LISTS_RULES } from './lists.js';
import { OAUTH, OAUTH_RULES } from './oauth.js';
import { PGO, PGO_RULES } from './pgo.js';
import { SANDBOX, SANDBOX_RULES } from './sandbox.js';
import { STELSELNODE, STELSELNODE_RULES } from './stelselnode.js';
import { TRANSPORT, TRANSPORT_RULES, VERDICT_EXPLANATIONS_NL } from './transport.js';
import { TVS_AUTHORIZE, TVS_LOGIN, TVS_RULES, TVS_TOKEN } from './tvs.js';

export * from './catalogue.js';
export { eventReason, eventRule, eventRuleById, ruleByText, type EventWords, type ShownText } from './event-text.js';
export type { OnPage, ToClient } from './dvza-authorize.js';
export type { TokenRefusal } from './dvza-token.js';
export type { FhirRefusal, FhirStatus } from './dvza-fhir.js';
export type { AssertionProblem } from './dvza-login.js';
export type { TvsPageRefusal, TvsRefusal } from './tvs.js';
export type { NotStarting } from './pgo.js';
export { DVZA_RULES, DVZA_AUTHORIZE, DVZA_CONSENTS, DVZA_PAGE, DVZA_TO_CLIENT, DVZA_TOKEN, DVZA_FHIR, DVZA_SEARCH, DVZA_LOGIN, DVZA_ASSERTION };
export { PGO_RULES, PGO, TVS_RULES, TVS_AUTHORIZE, TVS_LOGIN, TVS_TOKEN, LISTS_RULES, LISTS, STELSELNODE_RULES, STELSELNODE };
export { OAUTH_RULES, OAUTH, TRANSPORT_RULES, TRANSPORT, VERDICT_EXPLANATIONS_NL, SANDBOX_RULES, SANDBOX };

// Rules first, so the catalogue lists them before the reasons.
register(DVZA_RULES, PGO_RULES, OAUTH_RULES, TVS_RULES, LISTS_RULES, STELSELNODE_RULES, TRANSPORT_RULES, SANDBOX_RULES);
register(DVZA_AUTHORIZE, DVZA_CONSENTS, DVZA_PAGE, DVZA_TO_CLIENT, DVZA_TOKEN, DVZA_FHIR, DVZA_SEARCH, DVZA_LOGIN, DVZA_ASSERTION);
register(PGO, TVS_AUTHORIZE, TVS_LOGIN, TVS_TOKEN, LISTS, STELSELNODE, OAUTH, TRANSPORT, SANDBOX);
