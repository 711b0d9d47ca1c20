/**
 * packages/lists: every participant's consumer of the MedMij lists (four in afsprakenstelsel 1.5, five in 2).
 * Why a list was taken, kept or refused, and when a list no longer lets a flow start. `keeping` is always a nested reason (what the
 * consumer falls back on); a schema validator's or XML parser's own message is an open-ended parameter.
 */
import { reason, rule } from './catalogue.js';

export const LISTS_RULES = {
  fetch: rule('lists.fetch.from-stelselnode', '§3.1', 'lists are fetched from the stelselnode', 'de lijsten worden bij de stelselnode opgehaald'),
  schema: rule('lists.validate.xsd', '§3.2', 'recipients validate every list against its XSD', 'ontvangers valideren elke lijst tegen zijn XSD'),
  volgnummer: rule('lists.validate.volgnummer', '§3.2', 'every republication raises the Volgnummer by 1', 'elke herpublicatie verhoogt het Volgnummer met 1'),
  safe: rule(
    'lists.validate.plain-xml',
    '§3.2',
    'lists are plain XML 1.0: no DOCTYPE, no entities',
    'de lijsten zijn gewone XML 1.0: geen DOCTYPE, geen entiteiten',
  ),
  signature: rule(
    'lists.signature.xml-dsig',
    undefined,
    'sandbox extension: lists signed by the stelselnode (XML-DSig)',
    'sandbox-uitbreiding: lijsten ondertekend door de stelselnode (XML-DSig)',
  ),
  age: rule('lists.age.stale-and-expired', '§3.4', 'stale and expired lists (sandbox limits)', 'verouderde en verlopen lijsten (grenzen van de sandbox)'),
  noFlowOnExpired: rule('lists.age.no-flow-on-expired', '§3.4', 'no new flow on an expired list', 'geen nieuwe uitwisseling op een verlopen lijst'),
  notFromTheFuture: rule(
    'lists.age.not-from-the-future',
    '§3.4',
    'a list published in the future is refused (sandbox limit: 5 minutes ahead of the clock)',
    'een lijst die in de toekomst is gepubliceerd wordt geweigerd (grens van de sandbox: 5 minuten voor op de klok)',
  ),
  defaultNamespace: rule(
    'lists.validate.default-namespace',
    '§3.2',
    'lists use the default namespace, without prefix',
    'de lijsten gebruiken de standaardnamespace, zonder prefix',
  ),
  reset: rule(
    'lists.sandbox.reset',
    undefined,
    'sandbox extension: `lists reset` makes every consumer forget the lists and Volgnummers it holds',
    'sandbox-uitbreiding: `lists reset` laat elke ontvanger de lijsten en Volgnummers vergeten die hij heeft',
  ),
  notice: rule(
    'lists.sandbox.notice',
    undefined,
    'sandbox extension: the stelselnode tells every consumer which list changed; the consumer fetches it and checks it as always',
    'sandbox-uitbreiding: de stelselnode meldt elke ontvanger welke lijst veranderde; de ontvanger haalt die op en controleert hem zoals altijd',
  ),
} as const;

const R = LISTS_RULES;
type Keeping = { keeping: string };
type KindKeeping = { kind: string } & Keeping;

export const LISTS = {
  keeping: {
    held: reason<{ volgnummer: number | string; tijdstempel: string }>(
      'lists.keeping.held',
      undefined,
      (p) => `keeping Volgnummer ${p.volgnummer} (published ${p.tijdstempel})`,
      (p) => `Volgnummer ${p.volgnummer} blijft in gebruik (gepubliceerd ${p.tijdstempel})`,
    ),
    nothing: reason(
      'lists.keeping.nothing',
      undefined,
      () => 'no earlier list to fall back on',
      () => 'geen eerdere lijst om op terug te vallen',
    ),
  },

  // ListConsumer.require: may a flow start on this list?
  noneReceived: reason<{ kind: string }>(
    'lists.age.none-received',
    R.age,
    (p) => `no valid ${p.kind} received from the stelselnode yet: no new flow can start`,
    (p) => `nog geen geldige ${p.kind} van de stelselnode ontvangen: er kan geen nieuwe uitwisseling starten`,
  ),
  noneReceivedLastAttempt: reason<{ kind: string; last: string }>(
    'lists.age.none-received-last-attempt',
    R.age,
    (p) => `no valid ${p.kind} received from the stelselnode yet (last attempt: ${p.last}): no new flow can start`,
    (p) => `nog geen geldige ${p.kind} van de stelselnode ontvangen (laatste poging: ${p.last}): er kan geen nieuwe uitwisseling starten`,
  ),
  expired: reason<{ kind: string; volgnummer: number | string; tijdstempel: string; age: string; limit: string }>(
    'lists.age.expired',
    R.age,
    (p) => `${p.kind} Volgnummer ${p.volgnummer} has expired (published ${p.tijdstempel}, ${p.age} ago; the limit is ${p.limit}): no new flow can start`,
    (p) =>
      `${p.kind} met Volgnummer ${p.volgnummer} is verlopen (gepubliceerd ${p.tijdstempel}, ${p.age} geleden; de grens is ${p.limit}): er kan geen nieuwe uitwisseling starten`,
  ),
  stale: reason<{ kind: string; volgnummer: number | string; tijdstempel: string; age: string; staleAfter: string; expiredAfter: string }>(
    'lists.age.stale',
    R.age,
    (p) =>
      `${p.kind} Volgnummer ${p.volgnummer} is stale (published ${p.tijdstempel}, ${p.age} ago; stale after ${p.staleAfter}), used until it expires after ${p.expiredAfter}`,
    (p) =>
      `${p.kind} met Volgnummer ${p.volgnummer} is verouderd (gepubliceerd ${p.tijdstempel}, ${p.age} geleden; verouderd na ${p.staleAfter}), in gebruik tot de lijst na ${p.expiredAfter} verloopt`,
  ),

  // ListConsumer.refresh: one list fetched.
  httpError: reason<{ status: number; file: string } & Keeping>(
    'lists.fetch.http-error',
    R.fetch,
    (p) => `stelselnode answered HTTP ${p.status} for ${p.file}; ${p.keeping}`,
    (p) => `de stelselnode antwoordde HTTP ${p.status} op ${p.file}; ${p.keeping}`,
  ),
  // `problem`: the hop's reason (packages/transport), or another error's message.
  unreachable: reason<{ problem: string } & Keeping>(
    'lists.fetch.unreachable',
    R.fetch,
    (p) => `stelselnode unreachable (${p.problem}); ${p.keeping}`,
    (p) => `stelselnode onbereikbaar (${p.problem}); ${p.keeping}`,
  ),
  // `problem`: a signature verdict below, or the PKI's verdict on the signing certificate (open-ended).
  signatureRefused: reason<{ problem: string } & KindKeeping>(
    'lists.signature.refused',
    R.signature,
    (p) => `${p.kind} signature refused: ${p.problem}; ${p.keeping}`,
    (p) => `handtekening van de ${p.kind} geweigerd: ${p.problem}; ${p.keeping}`,
  ),
  unchanged: reason<{ kind: string; volgnummer: number | string }>(
    'lists.validate.unchanged',
    R.volgnummer,
    (p) => `${p.kind} unchanged (Volgnummer ${p.volgnummer})`,
    (p) => `${p.kind} ongewijzigd (Volgnummer ${p.volgnummer})`,
  ),
  // `errors`: the schema validator's own messages (xmllint), open-ended.
  xsdFailed: reason<{ errors: string } & KindKeeping>(
    'lists.validate.xsd-failed',
    R.schema,
    (p) => `${p.kind} fails its XSD: ${p.errors}; ${p.keeping}`,
    // libxml2's own messages, in English: quoted as the validator wrote them.
    (p) => `${p.kind} voldoet niet aan het XSD (de meldingen van de validator: "${p.errors}"); ${p.keeping}`,
  ),
  unsafe: reason<{ problem: string } & KindKeeping>(
    'lists.validate.unsafe-xml',
    R.safe,
    (p) => `${p.kind} refused: ${p.problem}; ${p.keeping}`,
    (p) => `${p.kind} geweigerd: ${p.problem}; ${p.keeping}`,
  ),
  unreadable: reason<{ problem: string } & KindKeeping>(
    'lists.validate.unreadable',
    R.schema,
    (p) => `${p.kind} refused: ${p.problem}; ${p.keeping}`,
    (p) => `${p.kind} geweigerd: ${p.problem}; ${p.keeping}`,
  ),
  rollback: reason<{ volgnummer: number | string; held: number | string } & KindKeeping>(
    'lists.validate.rollback',
    R.volgnummer,
    (p) => `${p.kind} Volgnummer ${p.volgnummer} is lower than the ${p.held} we hold: a rollback; ${p.keeping}`,
    (p) => `${p.kind} met Volgnummer ${p.volgnummer} is lager dan de ${p.held} die we hebben: een rollback; ${p.keeping}`,
  ),
  sameVolgnummer: reason<{ volgnummer: number | string } & KindKeeping>(
    'lists.validate.same-volgnummer',
    R.volgnummer,
    (p) => `${p.kind} changed without a new Volgnummer (still ${p.volgnummer}); ${p.keeping}`,
    (p) => `${p.kind} is gewijzigd zonder nieuw Volgnummer (nog steeds ${p.volgnummer}); ${p.keeping}`,
  ),
  // A Tijdstempel ahead of the consumer's clock: taking it would make the list look fresh for as long as it likes,
  // and its Volgnummer would make every real list after it look like a rollback. `now` is the consumer's time.
  futureDated: reason<{ volgnummer: number | string; tijdstempel: string; now: string; ahead: string; limit: string } & KindKeeping>(
    'lists.age.future-dated',
    R.notFromTheFuture,
    (p) =>
      `${p.kind} Volgnummer ${p.volgnummer} is dated in the future: its Tijdstempel ${p.tijdstempel} is ${p.ahead} ahead of our time ${p.now} (at most ${p.limit} allowed); refused, its Volgnummer counts for nothing; ${p.keeping}`,
    (p) =>
      `${p.kind} met Volgnummer ${p.volgnummer} is in de toekomst gedateerd: de Tijdstempel ${p.tijdstempel} loopt ${p.ahead} voor op onze tijd ${p.now} (hoogstens ${p.limit} toegestaan); geweigerd, het Volgnummer telt niet mee; ${p.keeping}`,
  ),
  // xs:dateTime allows years beyond 9999 and before 1: valid for the schema, no time a consumer can compare with its own.
  tijdstempelUnreadable: reason<{ volgnummer: number | string; tijdstempel: string } & KindKeeping>(
    'lists.age.tijdstempel-unreadable',
    R.notFromTheFuture,
    (p) => `${p.kind} Volgnummer ${p.volgnummer} refused: its Tijdstempel ${p.tijdstempel} is no time we can compare with our own; ${p.keeping}`,
    (p) =>
      `${p.kind} met Volgnummer ${p.volgnummer} geweigerd: de Tijdstempel ${p.tijdstempel} is geen tijd die we met onze eigen tijd kunnen vergelijken; ${p.keeping}`,
  ),
  notDefaultNamespace: reason<{ problem: string } & KindKeeping>(
    'lists.validate.not-default-namespace',
    R.defaultNamespace,
    (p) => `${p.kind} refused: ${p.problem}; ${p.keeping}`,
    (p) => `${p.kind} geweigerd: ${p.problem}; ${p.keeping}`,
  ),
  // The stelselnode's control API was told `reset` (its reset number changed): what this consumer let go of.
  // `forgot`: the lists held with their Volgnummers (`Whitelist Volgnummer 3, …`), empty when none was held.
  // `lists`: what the notice named, e.g. `Whitelist Volgnummer 7, OAuthclientlist Volgnummer 4`.
  noticed: reason<{ by: string; lists: string }>(
    'lists.notice.received',
    R.notice,
    (p) => `${p.by} announced ${p.lists}: fetching it to check it as any list (the notice itself is no list content)`,
    (p) => `${p.by} meldt ${p.lists}: ophalen en controleren zoals elke lijst (de melding zelf is geen lijstinhoud)`,
  ),
  // `problem`: why (one of `notice`, nested).
  noticeRefused: reason<{ from: string; problem: string }>(
    'lists.notice.refused',
    R.notice,
    (p) => `a list notice from ${p.from} refused: ${p.problem}; nothing fetched`,
    (p) => `een lijstmelding van ${p.from} geweigerd: ${p.problem}; niets opgehaald`,
  ),
  notice: {
    notTheStelselnode: reason<{ stelselnode: string }>(
      'lists.notice.not-the-stelselnode',
      undefined,
      (p) => `only ${p.stelselnode} may announce lists, by the hostname in its client certificate`,
      (p) => `alleen ${p.stelselnode} mag lijsten melden, herkend aan de hostnaam in zijn clientcertificaat`,
    ),
    tooLarge: reason<{ limit: number }>(
      'lists.notice.too-large',
      undefined,
      (p) => `the notice is larger than ${p.limit} bytes`,
      (p) => `de melding is groter dan ${p.limit} bytes`,
    ),
    notJson: reason(
      'lists.notice.not-json',
      undefined,
      () => 'the notice is not JSON',
      () => 'de melding is geen JSON',
    ),
    shape: reason<{ max: number }>(
      'lists.notice.shape',
      undefined,
      (p) => `a notice names 1 to ${p.max} lists as "lists": [{"list": ..., "volgnummer": ...}]`,
      (p) => `een melding noemt 1 tot ${p.max} lijsten als "lists": [{"list": ..., "volgnummer": ...}]`,
    ),
    unknownList: reason<{ list: string; kinds: string }>(
      'lists.notice.unknown-list',
      undefined,
      (p) => `"${p.list}" is not a list of this network (its lists: ${p.kinds})`,
      (p) => `"${p.list}" is geen lijst van dit netwerk (de lijsten: ${p.kinds})`,
    ),
    badVolgnummer: reason<{ list: string; value: string }>(
      'lists.notice.bad-volgnummer',
      undefined,
      (p) => `the Volgnummer of ${p.list} must be a positive whole number or null, not ${p.value}`,
      (p) => `het Volgnummer van ${p.list} moet een positief geheel getal of null zijn, niet ${p.value}`,
    ),
    twice: reason<{ list: string }>(
      'lists.notice.twice',
      undefined,
      (p) => `${p.list} is named twice`,
      (p) => `${p.list} wordt twee keer genoemd`,
    ),
  },
  forgotten: reason<{ epoch: string; forgot: string }>(
    'lists.sandbox.forgotten',
    R.reset,
    (p) =>
      `the stelselnode was reset (reset ${p.epoch}): forgot ${p.forgot || 'nothing (no list held)'} and every Volgnummer seen; the lists it serves now are taken as on a first fetch`,
    (p) =>
      `de stelselnode is gereset (reset ${p.epoch}): ${p.forgot || 'niets (geen lijst in bezit)'} en elk gezien Volgnummer vergeten; de lijsten die hij nu serveert worden genomen als bij een eerste ophaling`,
  ),

  /** `was` 0: no earlier list; `missed` 0: none skipped; `variant` official, sandbox or derived (2.x); `status` fresh, stale or expired. */
  accepted: reason<{
    kind: string;
    volgnummer: number | string;
    was: number | string;
    missed: number | string;
    variant: string;
    status: string;
    tijdstempel: string;
  }>(
    'lists.validate.accepted',
    R.volgnummer,
    (p) =>
      `accepted ${p.kind} Volgnummer ${p.volgnummer}${p.was ? ` (was ${p.was}${p.missed ? `, ${p.missed} publication(s) missed` : ''})` : ''}, valid against ${
        p.variant === 'sandbox'
          ? 'the sandbox schema variant (front-channel ports)'
          : p.variant === 'derived'
            ? "the sandbox's derived 2.x schema"
            : 'the official schema'
      }${p.status === 'fresh' ? '' : `; it is ${p.status}, published ${p.tijdstempel}`}`,
    (p) =>
      `${p.kind} met Volgnummer ${p.volgnummer} geaccepteerd${p.was ? ` (was ${p.was}${p.missed ? `, ${p.missed} publicatie(s) gemist` : ''})` : ''}, geldig volgens ${
        p.variant === 'sandbox'
          ? 'de sandboxvariant van het schema (front-channel-poorten)'
          : p.variant === 'derived'
            ? 'het door de sandbox afgeleide 2.x-schema'
            : 'het officiële schema'
      }${p.status === 'fresh' ? '' : `; de lijst is ${p.status === 'stale' ? 'verouderd' : 'verlopen'}, gepubliceerd ${p.tijdstempel}`}`,
  ),

  // ListKindError (kinds.ts): a list asked of an afsprakenstelsel that does not publish it.
  kindNotPublished: reason<{ kind: string; afsprakenstelsel: string; kinds: string }>(
    'lists.kind.not-published',
    undefined,
    (p) => `afsprakenstelsel ${p.afsprakenstelsel} has no ${p.kind}; its lists are ${p.kinds}`,
    (p) => `afsprakenstelsel ${p.afsprakenstelsel} kent geen ${p.kind}; de lijsten zijn ${p.kinds}`,
  ),

  // ListXmlError (xml.ts): a list refused before or while it is parsed.
  xml: {
    tooLarge: reason<{ size: number; limit: number }>(
      'lists.xml.too-large',
      undefined,
      (p) => `list is ${p.size} bytes, more than the limit of ${p.limit}`,
      (p) => `de lijst is ${p.size} bytes, meer dan de grens van ${p.limit}`,
    ),
    doctype: reason(
      'lists.xml.doctype',
      undefined,
      () => 'list contains a DOCTYPE or ENTITY declaration; MedMij lists have none, and they could hide external entities (XXE) or entity expansion',
      () =>
        'de lijst bevat een DOCTYPE- of ENTITY-declaratie; MedMij-lijsten hebben die niet, en ze kunnen externe entiteiten (XXE) of entity-expansie verbergen',
    ),
    // `problem`: the XML parser's own message, open-ended.
    notWellFormed: reason<{ problem: string }>(
      'lists.xml.not-well-formed',
      undefined,
      (p) => `list is not well-formed XML: ${p.problem}`,
      (p) => `de lijst is geen welgevormde XML: ${p.problem}`,
    ),
    wrongRoot: reason<{ kind: string; namespace: string; root: string; rootNamespace: string }>(
      'lists.xml.wrong-root',
      undefined,
      (p) => `expected <${p.kind}> in namespace ${p.namespace}, got <${p.root}> in ${p.rootNamespace}`,
      (p) =>
        `verwacht <${p.kind}> in namespace ${p.namespace}, maar kreeg <${p.root}> in ${p.rootNamespace === 'no namespace' ? 'geen namespace' : p.rootNamespace}`,
    ),
    // The right list in the namespace of another release: e.g. a release2 Zorgaanbiederslijst (1.5) where 2.x expects release3.
    wrongRelease: reason<{
      kind: string;
      release: string;
      afsprakenstelsel: string;
      namespace: string;
      foundRelease: string;
      foundAfsprakenstelsel: string;
      rootNamespace: string;
    }>(
      'lists.xml.wrong-release',
      undefined,
      (p) =>
        `expected a ${p.release} ${p.kind} (afsprakenstelsel ${p.afsprakenstelsel}) in namespace ${p.namespace}, got a ${p.foundRelease} ${p.kind} (afsprakenstelsel ${p.foundAfsprakenstelsel}) in namespace ${p.rootNamespace}`,
      (p) =>
        `verwacht een ${p.kind} ${p.release} (afsprakenstelsel ${p.afsprakenstelsel}) in namespace ${p.namespace}, maar kreeg een ${p.kind} ${p.foundRelease} (afsprakenstelsel ${p.foundAfsprakenstelsel}) in namespace ${p.rootNamespace}`,
    ),
    // SPEC §3.2: default namespace, no prefix. The schema cannot see a prefix (it validates the namespace only).
    prefixed: reason<{ element: string; prefix: string; namespace: string }>(
      'lists.xml.prefixed',
      undefined,
      (p) =>
        `<${p.prefix}:${p.element}> uses the namespace prefix '${p.prefix}' (for ${p.namespace}); SPEC §3.2: MedMij lists use the default namespace, without prefix`,
      (p) =>
        `<${p.prefix}:${p.element}> gebruikt het namespaceprefix '${p.prefix}' (voor ${p.namespace}); SPEC §3.2: MedMij-lijsten gebruiken de standaardnamespace, zonder prefix`,
    ),
    // A UTF-8 BOM is read past (XML 1.0 allows it); a UTF-16 one means the list is not UTF-8 at all.
    notUtf8: reason<{ bom: string }>(
      'lists.xml.not-utf8',
      undefined,
      (p) => `list starts with a ${p.bom} byte order mark (BOM): it is not UTF-8, as SPEC §3.2 requires`,
      (p) => `de lijst begint met een ${p.bom}-byte-order-mark (BOM): ze is geen UTF-8, zoals SPEC §3.2 vereist`,
    ),
    missingElement: reason<{ parent: string; name: string }>(
      'lists.xml.missing-element',
      undefined,
      (p) => `<${p.parent}> has no <${p.name}>`,
      (p) => `<${p.parent}> heeft geen <${p.name}>`,
    ),
  },

  // verifySignedList (signature.ts): why a signed list is not the stelselnode's.
  signature: {
    none: reason(
      'lists.signature.none',
      undefined,
      () => 'the list carries no signature',
      () => 'de lijst draagt geen handtekening',
    ),
    several: reason(
      'lists.signature.several',
      undefined,
      () => 'the list carries more than one signature',
      () => 'de lijst draagt meer dan één handtekening',
    ),
    noCertificate: reason(
      'lists.signature.no-certificate',
      undefined,
      () => 'the signature names no certificate (no X509Data in KeyInfo)',
      () => 'de handtekening noemt geen certificaat (geen X509Data in KeyInfo)',
    ),
    // `message`: xml-crypto's own, open-ended.
    unreadable: reason<{ message: string }>(
      'lists.signature.unreadable',
      undefined,
      (p) => `the signature cannot be checked: ${p.message}`,
      (p) => `de handtekening kan niet worden gecontroleerd: ${p.message}`,
    ),
    mismatch: reason(
      'lists.signature.mismatch',
      undefined,
      () => 'the signature does not match the list: it was changed after signing',
      () => 'de handtekening past niet bij de lijst: die is na het ondertekenen gewijzigd',
    ),
    coversNothing: reason(
      'lists.signature.covers-nothing',
      undefined,
      () => 'the signature covers nothing',
      () => 'de handtekening dekt niets',
    ),
  },
} as const;
