# One image for every participant of the MedMij Sandbox (docker-compose.yml starts it once per participant).
# The Node code runs with tsx from source, as on a developer's machine; only the web UIs (PGO, console) are built.
#
# BASE: any Debian bookworm with Node >= 20.19 (default: the official Node image). Without a registry,
#   tests/compose builds one from Debian packages (docs/decisions/0008-compose-on-ci.md).
# DEPENDENCIES=registry (default): the build installs from the npm registry and builds the web UIs.
# DEPENDENCIES=context: the build context already holds the production node_modules, apps/pgo/dist and apps/console/dist
#   (tests/compose prepares such a context on the host), for engines whose build containers have no network.
ARG BASE=node:20-bookworm-slim

FROM ${BASE} AS build
ARG DEPENDENCIES=registry
WORKDIR /app
COPY package.json package-lock.json ./
# Every workspace's manifest (npm ci installs per the lockfile, which names them all; tests/ included).
COPY apps/cli/package.json apps/cli/
COPY apps/console/package.json apps/console/
COPY apps/dvza/package.json apps/dvza/
COPY apps/pgo/package.json apps/pgo/
COPY apps/pki-repository/package.json apps/pki-repository/
COPY apps/stelselnode/package.json apps/stelselnode/
COPY apps/tvs/package.json apps/tvs/
COPY packages/console-api/package.json packages/console-api/
COPY packages/fhir-data/package.json packages/fhir-data/
COPY packages/lists/package.json packages/lists/
COPY packages/medmij-oauth/package.json packages/medmij-oauth/
COPY packages/network/package.json packages/network/
COPY packages/pgo-api/package.json packages/pgo-api/
COPY packages/pki/package.json packages/pki/
COPY packages/rules/package.json packages/rules/
COPY packages/scenario/package.json packages/scenario/
COPY packages/stelselnode-client/package.json packages/stelselnode-client/
COPY packages/transport/package.json packages/transport/
COPY packages/tvs-client/package.json packages/tvs-client/
COPY packages/ui/package.json packages/ui/
COPY tests/browser/package.json tests/browser/
COPY tests/cross-participant/package.json tests/cross-participant/
COPY tests/scenarios/package.json tests/scenarios/
COPY tests/compose/package.json tests/compose/
COPY tests/support/package.json tests/support/
COPY bench/package.json bench/
RUN if [ "$DEPENDENCIES" = registry ]; then npm ci --no-audit --no-fund; fi
COPY . .
RUN if [ "$DEPENDENCIES" = registry ]; then npm run build -w @medmij-sandbox/pgo -w @medmij-sandbox/console && npm prune --omit=dev --no-audit --no-fund; fi
RUN test -f node_modules/tsx/package.json \
 || { echo "the image has no production node_modules (DEPENDENCIES=$DEPENDENCIES: the build context must bring them)"; exit 1; }
RUN test -f apps/pgo/dist/ui/index.html \
 || { echo "the image has no built PGO web UI, apps/pgo/dist (DEPENDENCIES=$DEPENDENCIES: the build context must bring it)"; exit 1; }
RUN test -f apps/console/dist/ui/index.html \
 || { echo "the image has no built console web UI, apps/console/dist (DEPENDENCIES=$DEPENDENCIES: the build context must bring it)"; exit 1; }

# The run stage: no dev dependencies and no build layers (lean, since every container copies it on vfs).
FROM ${BASE}
WORKDIR /app
COPY --from=build /app /app
ENV SANDBOX_DIR=/sandbox SANDBOX_TOPOLOGY=/app/topology.compose.yaml
# node with tsx's loader, one process: `docker stop` sends SIGTERM straight to the participant, which closes cleanly
# (the `tsx` wrapper would relay it and SIGKILL the participant if it did not confirm within 30 ms).
ENTRYPOINT ["node", "--import", "tsx", "apps/cli/src/main.ts"]
CMD ["--help"]
