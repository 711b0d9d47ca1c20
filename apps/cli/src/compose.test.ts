import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@medmij-sandbox/network/testing';
import { checkCompose, defaultComposeFiles, type ComposeFiles } from './compose.js';
import { runCli } from './testing.js';

/** Copies of the four files, with one edit applied, so each check is seen to fail for its own reason. */
function editedCopy(file: keyof ComposeFiles, edit: (text: string) => string): ComposeFiles {
  const dir = tempDir('compose-');
  const original = defaultComposeFiles();
  const copy = Object.fromEntries(Object.entries(original).map(([k, path]) => [k, join(dir, path.split('/').pop()!)])) as unknown as ComposeFiles;
  for (const k of Object.keys(original) as (keyof ComposeFiles)[]) copyFileSync(original[k], copy[k]);
  writeFileSync(copy[file], edit(readFileSync(copy[file], 'utf8')));
  return copy;
}

describe('docker-compose.yml (checked without a Docker engine)', () => {
  it('is a valid Compose file that runs exactly the participants of topology.compose.yaml', () => {
    expect(checkCompose()).toEqual([]);
  });

  it('`sandbox compose check` says so', async () => {
    const r = await runCli(['compose', 'check']);
    expect([r.code, r.stdout]).toEqual([0, expect.stringContaining('valid Compose file; one container per participant')]);
  });

  it('refuses what the Compose Specification refuses, naming line and field', () => {
    const problems = checkCompose(
      editedCopy('compose', (t) =>
        t
          .replace('      - "127.0.0.1:443:443"\n', '')
          .replace('    ports:\n', '    ports: 443\n')
          .replace('networks:\n  medmij:', 'netwerken: {}\nnetworks:\n  medmij:'),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/docker-compose\.yml:\d+: services\.edge\.ports: must be array \(Compose Specification\)/),
        expect.stringMatching(/docker-compose\.yml:\d+: \(top\): must NOT have additional properties 'netwerken'/),
      ]),
    );
  });

  it('finds a container without a healthcheck and a port published beyond 127.0.0.1', () => {
    const problems = checkCompose(
      editedCopy('compose', (t) =>
        t.replace(/(  pgo:\n(?:    .*\n)*?)    healthcheck:\n      <<: \*listening\n      test: .*\n/, '$1').replace('"127.0.0.1:443:443"', '"443:443"'),
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(/docker-compose\.yml:\d+: services\.pgo: has no healthcheck \(docker compose up --wait could not tell when it is ready\)/),
      expect.stringMatching(/docker-compose\.yml:\d+: services\.edge\.ports\.0: publishes on every interface, not only on 127\.0\.0\.1/),
    ]);
  });

  it('finds a participant address inside the range Docker hands out to other containers', () => {
    const problems = checkCompose(editedCopy('compose', (t) => t.replace('ip_range: 172.30.77.128/25', 'ip_range: 172.30.77.0/27')));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/networks\.medmij\.ipam: pki's address 172\.30\.77\.10 is inside ip_range 172\.30\.77\.0\/27/)]),
    );
  });

  it('finds a container on another address than the topology says', () => {
    const problems = checkCompose(editedCopy('compose', (t) => t.replace('ipv4_address: 172.30.77.21 }', 'ipv4_address: 172.30.77.29 }')));
    expect(problems).toEqual([
      expect.stringMatching(/services\.rivierenland\.networks: ipv4_address is 172\.30\.77\.29, but .* puts rivierenland at 172\.30\.77\.21/),
    ]);
  });

  it('finds a participant without a container, and a DVZA that does not wait for the stelselnode', () => {
    const problems = checkCompose(
      editedCopy('compose', (t) =>
        t
          .replace('command: ["run", "deboog"]', 'command: ["run", "deboog2"]')
          .replace(
            '    depends_on: &infrastructure\n      pki: { condition: service_healthy }\n      stelselnode: { condition: service_healthy }\n',
            '    depends_on: &infrastructure\n      pki: { condition: service_healthy }\n',
          ),
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("no service runs participant 'deboog'"),
        expect.stringContaining("runs 'deboog2', which is not a participant"),
        expect.stringMatching(/services\.pgo\.depends_on: must wait for stelselnode to be healthy/),
      ]),
    );
  });

  it('finds an edge route to the wrong container, a front channel off 443 and a Dockerfile missing a workspace', () => {
    expect(checkCompose(editedCopy('edge', (t) => t.replace('pgo.localhost                 172.30.77.30:443', 'pgo.localhost 172.30.77.31:443')))).toEqual([
      expect.stringContaining('pgo.localhost must be routed to 172.30.77.30:443, not 172.30.77.31:443'),
    ]);
    expect(
      checkCompose(
        editedCopy('topology', (t) =>
          t.replace('    address: 172.30.77.30\n    frontchannelPort: 443', '    address: 172.30.77.30\n    frontchannelPort: 8443'),
        ),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringContaining('pgo: frontchannelPort must be 443'),
        expect.stringContaining('pgo.localhost must be routed to 172.30.77.30:8443'),
      ]),
    );
    expect(checkCompose(editedCopy('dockerfile', (t) => t.replace('COPY packages/lists/package.json packages/lists/\n', '')))).toEqual([
      expect.stringContaining('does not copy packages/lists/package.json before npm ci'),
    ]);
  });
});
