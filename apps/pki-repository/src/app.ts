/**
 * The PKI repository: what a certificate authority publishes for relying parties, over plain HTTP
 * (as real CRL distribution points do, so checking revocation never depends on TLS itself):
 *
 *   GET  /                       an overview: the CAs, their CRLs, their fingerprints
 *   GET  /ca/<ca>.crt | .pem     CA certificates (DER | PEM): root, private-services, browser
 *   GET  /crl/<ca>.crl | .pem    CRLs (DER | PEM), rewritten on every revocation
 *   POST /ocsp/<ca>              OCSP (RFC 6960), and GET /ocsp/<ca>/<base64 request>
 *
 * Every certificate of the sandbox points here in its CRL distribution point and AuthorityInfoAccess.
 */
import { Hono } from 'hono';
import type { Clock, TraceBus } from '@medmij-sandbox/network';
import { CA_IDS, CA_NAMES, answerOcsp, isCaId, OCSP_STATUS, statusOnly, type SandboxPki } from '@medmij-sandbox/pki';
import { SANDBOX, because } from '@medmij-sandbox/rules';
import { securityHeaders } from '@medmij-sandbox/transport';

export interface PkiRepositoryOptions {
  pki: SandboxPki;
  clock: Clock;
  bus: TraceBus;
  hostname: string;
}

export function createPkiRepositoryApp({ pki, clock, bus, hostname }: PkiRepositoryOptions): Hono {
  const app = new Hono();
  // Plain HTTP (no HSTS), and public material that relying parties may cache (certificates, CRLs): no no-store.
  app.use(securityHeaders({ https: false, noStore: false }));

  app.get('/', (c) => {
    pki.refresh();
    const cas = CA_IDS.map((ca) => {
      const record = pki.caRecord(ca);
      return {
        id: ca,
        name: CA_NAMES[ca],
        serial: record.serial,
        fingerprint256: record.fingerprint256,
        certificate: `/ca/${ca}.crt`,
        crl: `/crl/${ca}.crl`,
        ocsp: `/ocsp/${ca}`,
      };
    });
    return c.json({ repository: 'MedMij Sandbox PKI - NOT FOR PRODUCTION', installId: pki.installId, generation: pki.generation, cas });
  });

  app.get('/ca/:file{[a-z-]+\\.(crt|pem)}', (c) => {
    const [ca, ext] = c.req.param('file').split('.') as [string, string];
    if (!isCaId(ca)) return notFound(c.req.path);
    pki.refresh();
    const pem = pki.caCertPem(ca);
    return ext === 'pem'
      ? new Response(pem, { headers: { 'content-type': 'application/x-pem-file' } })
      : new Response(pemBody(pem), { headers: { 'content-type': 'application/pkix-cert' } });
  });

  app.get('/crl/:file{[a-z-]+\\.(crl|pem)}', (c) => {
    const [ca, ext] = c.req.param('file').split('.') as [string, string];
    if (!isCaId(ca)) return notFound(c.req.path);
    pki.refresh();
    return ext === 'pem'
      ? new Response(pki.crlPem(ca), { headers: { 'content-type': 'application/x-pem-file' } })
      : new Response(new Uint8Array(pki.crlDer(ca)), { headers: { 'content-type': 'application/pkix-crl' } });
  });

  const ocsp = async (ca: string, der: Uint8Array | undefined, from: string) => {
    if (!isCaId(ca)) return notFound(`/ocsp/${ca}`);
    if (!der || der.length === 0) return ocspResponse(statusOnly(OCSP_STATUS.malformedRequest));
    const answer = await answerOcsp(pki, ca, der, clock);
    bus.emit({
      reportedBy: hostname,
      from,
      to: hostname,
      kind: 'decision',
      outcome: 'ok',
      // The summary is the PKI's own text.
      ...because(SANDBOX.ocspAnswered, { ca, summary: answer.summary.join('; ') }),
    });
    return ocspResponse(answer.der);
  };
  app.post('/ocsp/:ca', async (c) => ocsp(c.req.param('ca'), new Uint8Array(await c.req.arrayBuffer()), c.req.header('user-agent') ?? 'client'));
  // RFC 6960 A.1: GET with the base64 request, URL-encoded, as the last path segment.
  app.get('/ocsp/:ca/:request{.+}', (c) => {
    const decoded = Buffer.from(decodeURIComponent(c.req.param('request')), 'base64');
    return ocsp(c.req.param('ca'), decoded, c.req.header('user-agent') ?? 'client');
  });

  app.notFound((c) => notFound(c.req.path));
  return app;
}

function notFound(path: string): Response {
  return Response.json(
    { error: 'not_found', message: `nothing at ${path}: the repository serves /ca/<ca>.crt, /crl/<ca>.crl and /ocsp/<ca> for ${CA_IDS.join(', ')}` },
    { status: 404 },
  );
}

function ocspResponse(der: Buffer): Response {
  return new Response(new Uint8Array(der), { headers: { 'content-type': 'application/ocsp-response' } });
}

function pemBody(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
}
