/**
 * apps/stelselnode: what the stelselnode publishes and why. Each change is one line, returned to the
 * control client as text and put on the trace as `lists: <line>`; a publication says why it happened (a
 * nested reason: one of `WHY`, or the change that caused it).
 */
import { reason, rule } from './catalogue.js';

export const STELSELNODE_RULES = {
  republication: rule(
    'stelselnode.lists.republication',
    '§3.2',
    'each republication raises the Volgnummer by 1',
    'elke herpublicatie verhoogt het Volgnummer met 1',
  ),
  notice: rule(
    'stelselnode.lists.notice',
    undefined,
    'sandbox extension: after every change the stelselnode tells each consumer with a back channel which lists changed (mutual TLS, its own client certificate)',
    'sandbox-uitbreiding: na elke wijziging meldt de stelselnode elke ontvanger met een back channel welke lijsten veranderden (wederzijdse TLS, zijn eigen clientcertificaat)',
  ),
} as const;

type Kind = { kind: string };

export const STELSELNODE = {
  // The trace's frame around every line below.
  changed: reason<{ what: string }>(
    'stelselnode.lists.changed',
    STELSELNODE_RULES.republication,
    (p) => `lists: ${p.what}`,
    (p) => `lijsten: ${p.what}`,
  ),

  published: reason<Kind & { volgnummer: number; why: string }>(
    'stelselnode.publish.published',
    undefined,
    (p) => `published ${p.kind} Volgnummer ${p.volgnummer} (${p.why})`,
    (p) => `${p.kind} gepubliceerd met Volgnummer ${p.volgnummer} (${p.why})`,
  ),
  frozenChange: reason(
    'stelselnode.publish.frozen-change',
    undefined,
    () => '(frozen: the change is published when publication resumes)',
    () => '(bevroren: de wijziging wordt gepubliceerd zodra de publicatie hervat)',
  ),
  frozen: reason(
    'stelselnode.publish.frozen',
    undefined,
    () => 'stopped publishing: the lists keep their Volgnummer and Tijdstempel and will go stale',
    () => 'publicatie gestopt: de lijsten houden hun Volgnummer en Tijdstempel en raken verouderd',
  ),
  resumed: reason(
    'stelselnode.publish.resumed',
    undefined,
    () => 'resumed publishing',
    () => 'publicatie hervat',
  ),
  backdatedFrozen: reason<{ age: string }>(
    'stelselnode.publish.backdated-frozen',
    undefined,
    (p) => `stopped publishing: the lists now look ${p.age} old and keep ageing`,
    (p) => `publicatie gestopt: de lijsten lijken nu ${p.age} oud en worden steeds ouder`,
  ),
  faultCleared: reason<Kind>(
    'stelselnode.fault.cleared',
    undefined,
    (p) => `${p.kind}: serving the real list again`,
    (p) => `${p.kind}: weer de echte lijst`,
  ),
  fault: reason<Kind & { fault: string }>(
    'stelselnode.fault.serving',
    undefined,
    (p) => `${p.kind}: now serving a ${p.fault} list`,
    (p) => `${p.kind}: nu een lijst met de fout ${p.fault}`,
  ),
  rolledBack: reason<Kind & { volgnummer: number; from: number }>(
    'stelselnode.fault.rolled-back',
    undefined,
    (p) => `${p.kind}: serving Volgnummer ${p.volgnummer} again (rolled back from ${p.from})`,
    (p) => `${p.kind}: weer Volgnummer ${p.volgnummer} (teruggezet van ${p.from})`,
  ),
  enrolmentsChangedFrozen: reason(
    'stelselnode.enrolments.changed-frozen',
    undefined,
    () => 'enrolments changed (frozen: published when publication resumes)',
    () => 'aanmeldingen gewijzigd (bevroren: gepubliceerd zodra de publicatie hervat)',
  ),
  reset: reason(
    'stelselnode.reset.undone',
    undefined,
    () => 'reset: every participant listed, no faults, publishing',
    () => 'reset: alle deelnemers op de lijsten, geen fouten, publicatie loopt',
  ),
  // `consumers`: the participants that fetched a list here since the stelselnode started (as their User-Agent names them).
  consumersForget: reason<{ epoch: number; consumers: string }>(
    'stelselnode.reset.consumers-forget',
    undefined,
    (p) =>
      `reset ${p.epoch}: every list consumer forgets the lists and Volgnummers it holds at its next fetch here (told at once; whoever was not told polls within 30 s of sandbox time)${p.consumers ? `: ${p.consumers}` : '; no consumer has fetched a list here since the stelselnode started'}`,
    (p) =>
      `reset ${p.epoch}: elke ontvanger van de lijsten vergeet de lijsten en Volgnummers die hij heeft bij zijn volgende ophaling hier (meteen gemeld; wie geen melding kreeg haalt binnen 30 s sandboxtijd op)${p.consumers ? `: ${p.consumers}` : '; er heeft sinds de start van de stelselnode nog geen ontvanger een lijst opgehaald'}`,
  ),
  // `answer`: the consumer's own words (its decisions), or what went wrong on the way.
  notified: reason<{ consumer: string; lists: string; answer: string }>(
    'stelselnode.notice.delivered',
    STELSELNODE_RULES.notice,
    (p) => `told ${p.consumer} of ${p.lists}: ${p.answer}`,
    (p) => `${p.consumer} gemeld: ${p.lists}: ${p.answer}`,
  ),
  notifyFailed: reason<{ consumer: string; lists: string; problem: string }>(
    'stelselnode.notice.failed',
    STELSELNODE_RULES.notice,
    (p) => `could not tell ${p.consumer} of ${p.lists}: ${p.problem}; it takes them at its next poll`,
    (p) => `${p.consumer} niet kunnen melden: ${p.lists}: ${p.problem}; hij neemt ze bij zijn volgende ophaling`,
  ),
  resetNothing: reason(
    'stelselnode.reset.nothing',
    undefined,
    () => 'reset: nothing to undo, the lists stay as published',
    () => 'reset: niets terug te draaien, de lijsten blijven zoals gepubliceerd',
  ),

  // Changes to who is on the lists (each also the `why` of the publications it causes).
  change: {
    restricted: reason<{ client: string; gegevensdiensten: string }>(
      'stelselnode.change.client-restricted',
      undefined,
      (p) => `the OAuthclientlist lets ${p.client} use gegevensdienst ${p.gegevensdiensten} only`,
      (p) => `de OAuthclientlist laat ${p.client} alleen gegevensdienst ${p.gegevensdiensten} gebruiken`,
    ),
    unrestricted: reason<{ client: string }>(
      'stelselnode.change.client-unrestricted',
      undefined,
      (p) => `the OAuthclientlist lets ${p.client} use every gegevensdienst again`,
      (p) => `de OAuthclientlist laat ${p.client} weer elke gegevensdienst gebruiken`,
    ),
    added: reason<{ role: string; key: string }>(
      'stelselnode.change.added',
      undefined,
      (p) => `added ${p.role} ${p.key} to the lists`,
      (p) => `${p.role} ${p.key} aan de lijsten toegevoegd`,
    ),
    removedAdded: reason<{ role: string; key: string }>(
      'stelselnode.change.removed-added',
      undefined,
      (p) => `removed the added ${p.role} ${p.key} from the lists`,
      (p) => `de toegevoegde ${p.role} ${p.key} van de lijsten gehaald`,
    ),
    removedEnrolled: reason<{ role: string; key: string }>(
      'stelselnode.change.removed-enrolled',
      undefined,
      (p) => `removed the enrolled ${p.role} ${p.key} from the lists`,
      (p) => `de aangemelde ${p.role} ${p.key} van de lijsten gehaald`,
    ),
    removed: reason<{ role: string; id: string; hostname: string }>(
      'stelselnode.change.removed',
      undefined,
      (p) => `removed ${p.role} ${p.id} (${p.hostname}) from the lists`,
      (p) => `${p.role} ${p.id} (${p.hostname}) van de lijsten gehaald`,
    ),
    restoredEnrolled: reason<{ key: string }>(
      'stelselnode.change.restored-enrolled',
      undefined,
      (p) => `restored the enrolled ${p.key} to the lists`,
      (p) => `de aangemelde ${p.key} weer op de lijsten gezet`,
    ),
    restored: reason<{ role: string; id: string; hostname: string }>(
      'stelselnode.change.restored',
      undefined,
      (p) => `restored ${p.role} ${p.id} (${p.hostname}) to the lists`,
      (p) => `${p.role} ${p.id} (${p.hostname}) weer op de lijsten gezet`,
    ),
  },

  // Why a publication happened, when no change caused it.
  why: {
    started: reason(
      'stelselnode.why.started',
      undefined,
      () => 'stelselnode started',
      () => 'stelselnode gestart',
    ),
    onRequest: reason(
      'stelselnode.why.on-request',
      undefined,
      () => 'published on request',
      () => 'gepubliceerd op verzoek',
    ),
    resumed: reason(
      'stelselnode.why.resumed',
      undefined,
      () => 'publication resumed',
      () => 'publicatie hervat',
    ),
    backdated: reason<{ age: string }>(
      'stelselnode.why.backdated',
      undefined,
      (p) => `lists published ${p.age} in the past`,
      (p) => `lijsten ${p.age} in het verleden gepubliceerd`,
    ),
    // Also a line of its own, before what the change published.
    enrolmentsChanged: reason(
      'stelselnode.why.enrolments-changed',
      undefined,
      () => 'enrolments changed',
      () => 'aanmeldingen gewijzigd',
    ),
    reset: reason(
      'stelselnode.why.reset',
      undefined,
      () => 'reset',
      () => 'reset',
    ),
    periodic: reason(
      'stelselnode.why.periodic',
      undefined,
      () => 'periodic republication',
      () => 'periodieke herpublicatie',
    ),
    // The sandbox clock was put back (`clock reset` after a shift): the list held a Tijdstempel from the clock's future.
    clockBack: reason(
      'stelselnode.why.clock-back',
      undefined,
      () => 'the clock is now before its last Tijdstempel',
      () => 'de klok staat nu vóór de laatste Tijdstempel',
    ),
  },
} as const;
