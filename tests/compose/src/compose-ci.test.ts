/** The compose run's own logic, without an engine: health verdicts, bounded commands, the host check, no engine. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepFailure, must, run } from './exec.js';
import { composeV2OrLater, obtainEngine } from './engine.js';
import { healthProblems, parsePs } from './project.js';
import { buildFailureCause } from './images.js';
import { hostChanges, type HostState } from './host-state.js';

describe('the compose run', () => {
  it('reads docker compose ps in both of its JSON shapes', () => {
    const one = { Service: 'pki', State: 'running', Health: 'healthy', ExitCode: 0 };
    const two = { Service: 'init', State: 'exited', Health: '', ExitCode: 0 };
    expect(parsePs(JSON.stringify([one, two]))).toEqual([one, two]);
    expect(parsePs(`${JSON.stringify(one)}\n${JSON.stringify(two)}\n`)).toEqual([one, two]);
    expect(parsePs('')).toEqual([]);
  });

  it('calls the network healthy only when init finished with 0 and every other container is running and healthy', () => {
    const ok = [
      { Service: 'init', State: 'exited', Health: '', ExitCode: 0 },
      { Service: 'pki', State: 'running', Health: 'healthy', ExitCode: 0 },
    ];
    expect(healthProblems(ok, ['init', 'pki'])).toEqual([]);
    expect(
      healthProblems(
        [
          { Service: 'init', State: 'exited', Health: '', ExitCode: 1 },
          { Service: 'pki', State: 'running', Health: 'starting', ExitCode: 0 },
          { Service: 'tvs', State: 'restarting', Health: '', ExitCode: 1, Status: 'Restarting (1) 2 seconds ago' },
          { Service: 'edge', State: 'running', Health: '', ExitCode: 0 },
        ],
        ['init', 'pki', 'tvs', 'edge', 'pgo'],
      ),
    ).toEqual([
      'init: exited with exit code 1 (should have finished with 0)',
      'pki: running, but its healthcheck says starting',
      'tvs: restarting (Restarting (1) 2 seconds ago)',
      'edge: running, but it has no healthcheck',
      'pgo: no container',
    ]);
  });

  it('kills a command at its deadline and says so, instead of hanging', async () => {
    const r = await run('sleep', ['600'], { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    await expect(must('a step', 'sleep', ['600'], { timeoutMs: 300 })).rejects.toThrow(/^a step: no answer within 0 s \(killed\)$/);
  });

  it("names a failed step's cause in the command's own last words", async () => {
    const failure = await must('the sandbox image does not build', 'sh', ['-c', 'echo step 1; echo "COPY failed: stat package.json: not found" >&2; exit 1'], {
      timeoutMs: 10_000,
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StepFailure);
    expect((failure as StepFailure).message).toBe('the sandbox image does not build: COPY failed: stat package.json: not found');
    expect((failure as StepFailure).detail).toContain('step 1');
  });

  it("names why the image does not build: the failed RUN's own words, else docker's", () => {
    const deprecated =
      'DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0';
    expect(
      buildFailureCause(
        'Step 31/37 : RUN test -f node_modules/tsx/package.json || { echo "the image has no production node_modules"; exit 1; }\n ---> Running in 54070479b855\nthe image has no production node_modules\nRemoving intermediate container 54070479b855\n',
        `${deprecated}\nThe command '/bin/sh -c test -f node_modules/tsx/package.json || exit 1' returned a non-zero code: 1\n`,
      ),
    ).toBe('the image has no production node_modules (the RUN step returned a non-zero code: 1)');
    expect(
      buildFailureCause(
        'Step 3/37 : COPY package.json ./\n',
        `${deprecated}\nCOPY failed: file not found in build context or excluded by .dockerignore: stat package.json: file does not exist\n`,
      ),
    ).toBe('COPY failed: file not found in build context or excluded by .dockerignore: stat package.json: file does not exist');
  });

  it('ends with a message naming the cause when no engine is obtainable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-engine-'));
    try {
      const failure = await obtainEngine({
        dataRoot: join(dir, 'data'),
        execRoot: join(dir, 'exec'),
        install: false,
        dockerd: join(dir, 'no-such-dockerd'),
        dockerHost: `unix://${join(dir, 'no.sock')}`,
        logDir: join(dir, 'log'),
        print: () => undefined,
      }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StepFailure);
      // Docker's own words on why it does not answer are in the message; as root the missing dockerd, else root.
      expect((failure as Error).message).toMatch(
        new RegExp(
          `^no Docker engine obtainable: none answers at unix://${join(dir, 'no.sock')} \\(.+\\), and ${
            process.getuid?.() === 0 ? 'there is no dockerd to start \\(docker.io: installing is off\\)' : 'starting one needs root'
          }`,
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports what an engine left on the host', () => {
    const before: HostState = {
      firewall: '*filter\n:FORWARD ACCEPT\nCOMMIT',
      firewall6: undefined,
      forwarding: '0',
      interfaces: ['eth0', 'lo'],
      mounts: ['/dev/vda / ext4'],
    };
    expect(hostChanges(before, { ...before })).toEqual([]);
    const after: HostState = {
      firewall: '*filter\n:FORWARD DROP\n:DOCKER -\nCOMMIT',
      firewall6: undefined,
      forwarding: '1',
      interfaces: ['docker0', 'eth0', 'lo'],
      mounts: ['/dev/vda / ext4', 'overlay /var/lib/docker/overlay2/x/merged overlay'],
    };
    const changes = hostChanges(before, after);
    expect(changes[0]).toMatch(/^the firewall rules changed/);
    expect(changes.slice(1)).toEqual([
      'net.ipv4.ip_forward changed from 0 to 1',
      'a network interface was left behind: docker0',
      'a mount was left behind: overlay /var/lib/docker/overlay2/x/merged overlay',
    ]);
    // No ip6tables-save before (docker.io brought it): an empty IPv6 firewall afterwards is as it was, rules are not.
    expect(hostChanges(before, { ...before, firewall6: '*filter\n:INPUT ACCEPT\n:FORWARD ACCEPT\nCOMMIT' })).toEqual([]);
    expect(hostChanges(before, { ...before, firewall6: '' })).toEqual([]);
    expect(hostChanges(before, { ...before, firewall6: '*filter\n:FORWARD DROP\n-A FORWARD -j DOCKER-USER\nCOMMIT' })[0]).toMatch(
      /^ip6tables-save: the firewall has rules now/,
    );
  });

  it('takes docker compose 2.x and later, not 1.x', () => {
    expect(composeV2OrLater('2.26.1')).toBe(true);
    expect(composeV2OrLater('v2.40.3\n')).toBe(true);
    expect(composeV2OrLater('5.0.0')).toBe(true);
    expect(composeV2OrLater('1.29.2')).toBe(false);
    expect(composeV2OrLater('')).toBe(false);
  });

  it('ends a command whose output pipes a descendant keeps open, once the command itself has exited', async () => {
    // The child leaves a background sleep holding stdout: 'close' would wait for it (600 s).
    const r = await run('sh', ['-c', 'sleep 600 & echo $!'], { timeoutMs: 120_000 });
    process.kill(Number(r.stdout.trim()), 'SIGKILL');
    expect(r.code).toBe(0);
    expect(r.timedOut).toBe(false);
  });
});
