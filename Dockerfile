# syntax=docker/dockerfile:1
# One image for every Cockpit service; the service is chosen by the first argument:
#   docker run cockpit gateway | identity | budgets | catalog | guardrails | observability | migrate
# Runs as the unprivileged `node` user (uid 1000) and writes nothing outside /tmp, so the root
# filesystem can be mounted read-only (mount a tmpfs/emptyDir at /tmp: tsx caches compiled code there).
ARG NODE_IMAGE=node:20.19-bookworm-slim

# --- dependencies: production packages only, from the lock file -----------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/kit/package.json packages/kit/
COPY packages/contracts/package.json packages/contracts/
COPY packages/client/package.json packages/client/
COPY packages/cli/package.json packages/cli/
COPY gateway/package.json gateway/
COPY subgraphs/identity/package.json subgraphs/identity/
COPY subgraphs/budgets/package.json subgraphs/budgets/
COPY subgraphs/catalog/package.json subgraphs/catalog/
COPY subgraphs/guardrails/package.json subgraphs/guardrails/
COPY subgraphs/observability/package.json subgraphs/observability/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- sources on top of the dependencies --------------------------------------------------------
FROM deps AS app
COPY tsconfig.base.json tsconfig.json ./
COPY schema/ schema/
COPY packages/ packages/
COPY gateway/ gateway/
COPY subgraphs/ subgraphs/
COPY deploy/entrypoint.sh deploy/entrypoint.sh
RUN chmod 0555 deploy/entrypoint.sh

# --- runtime: what `app` holds, owned by root and read-only to the service user ----------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    COCKPIT_HOME=/tmp/cockpit
WORKDIR /app
COPY --from=app /app /app
USER node
EXPOSE 4000 4001 4002 4003 4004 4005
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["gateway"]
