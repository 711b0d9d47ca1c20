# One image for every participant of the MedMij Sandbox (docker-compose.yml starts it once per participant).
# The Node code runs with tsx from source, as on a developer's machine; only the PGO's web UI is built.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/cli/package.json apps/cli/
COPY apps/dvza/package.json apps/dvza/
COPY apps/pgo/package.json apps/pgo/
COPY apps/pki-repository/package.json apps/pki-repository/
COPY apps/stelselnode/package.json apps/stelselnode/
COPY apps/tvs/package.json apps/tvs/
COPY packages/fhir-data/package.json packages/fhir-data/
COPY packages/lists/package.json packages/lists/
COPY packages/network/package.json packages/network/
COPY packages/pki/package.json packages/pki/
COPY packages/scenario/package.json packages/scenario/
COPY packages/transport/package.json packages/transport/
COPY packages/tvs-client/package.json packages/tvs-client/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build -w @medmij-sandbox/pgo
ENV SANDBOX_DIR=/sandbox SANDBOX_TOPOLOGY=/app/topology.compose.yaml
ENTRYPOINT ["node_modules/.bin/tsx", "apps/cli/src/main.ts"]
CMD ["--help"]
