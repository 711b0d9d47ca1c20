/** The CapabilityStatement at /fhir/metadata: what this DVZA serves, derived from its gegevensdiensten. */
import { gegevensdienstContent } from '@medmij-sandbox/fhir-data';
import { gegevensdienstOf } from '@medmij-sandbox/network';
import type { DvzaRuntime } from '../runtime.js';
import { supportedSearch } from './search.js';

export function capabilityStatement(rt: DvzaRuntime, base: string) {
  const { participant } = rt;
  const types = [
    ...new Set(participant.gegevensdiensten.flatMap((id) => gegevensdienstContent(gegevensdienstOf(rt.topology, id)?.key)?.resourceTypes ?? [])),
  ].sort();
  return {
    resourceType: 'CapabilityStatement',
    id: `${participant.id}-resource-server`,
    url: `${base}/metadata`,
    name: `${participant.name} (MedMij Sandbox resource server)`,
    status: 'active',
    experimental: true,
    date: rt.clock.now().toISOString(),
    publisher: 'MedMij Sandbox - NOT FOR PRODUCTION',
    description: `FHIR STU3 resource server of ${participant.name} (${participant.zorgaanbiedernaam}) for gegevensdienst ${participant.gegevensdiensten.join(', ')}. Mutual TLS with a sandbox PKI certificate of a Whitelist host, an access token from this DVZA, MedMij-Request-ID and X-Correlation-ID headers; the token alone decides the patient.`,
    kind: 'instance',
    implementation: { description: participant.name, url: base },
    fhirVersion: '3.0.2',
    acceptUnknown: 'no',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          service: [
            {
              coding: [{ system: 'http://hl7.org/fhir/restful-security-service', code: 'OAuth', display: 'OAuth' }],
              text: 'MedMij OAuth 2.0 (Bearer) over mutual TLS',
            },
          ],
          description: "Access token from this DVZA's token endpoint in Authorization: Bearer; client certificate from the sandbox PKI, host on the Whitelist.",
        },
        resource: types.map((type) => {
          const search = supportedSearch(type);
          return {
            type,
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchInclude: search.includes,
            searchParam: search.params.map((p) => ({ name: p.name, type: p.type })),
          };
        }),
        operation: types.includes('Observation')
          ? [{ name: 'lastn', definition: { reference: 'http://hl7.org/fhir/OperationDefinition/Observation-lastn' } }]
          : [],
      },
    ],
  };
}
