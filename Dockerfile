# syntax=docker/dockerfile:1
# The Tattoo Booking Bot host: one container, PostgreSQL outside it (DATABASE_URL).
#
#   docker build -t tattoo-bot .
#   docker run -p 8000:8000 --env-file .env tattoo-bot
#
# Stage 1 installs the workspace from the lockfile, builds the host and the packages it uses, and
# bundles it with scripts/bundle-host.sh (the same script CI runs and starts in scripts/check-bundle.mjs).
# Stage 2 is the bundle alone: dist/, config/ and production node_modules, run as a non-root user.

ARG NODE_VERSION=20
ARG PNPM_VERSION=10.34.9

FROM node:${NODE_VERSION}-slim AS build
ARG PNPM_VERSION
ENV CI=true TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
RUN npm install -g pnpm@${PNPM_VERSION} && pnpm --version
WORKDIR /repo

# Dependencies first, from the lockfile alone, so this layer is cached until the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch

COPY . .
RUN pnpm install --frozen-lockfile --offline
RUN pnpm exec turbo run build --filter=@tattoo-bot/host... \
 && SKIP_BUILD=1 PNPM=pnpm bash scripts/bundle-host.sh /bundle

FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production \
    APP_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/data \
    CONFIG_DIR=/app/config \
    CALENDAR_RULES_PATH=/app/config/calendar_rules.yml
WORKDIR /app
# DATA_DIR is only used without DATABASE_URL (the embedded database); it must be writable by the service user.
RUN mkdir -p /data && chown node:node /data
COPY --from=build --chown=node:node /bundle /app
USER node
EXPOSE 8000
# /health answers 200 with {"ok": true, ...}; node's fetch, since the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health').then(r=>r.json().then(b=>process.exit(r.ok&&b.ok===true?0:1)),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
