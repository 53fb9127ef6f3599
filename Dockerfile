# The bot in a container: Node 20 slim, non-root, SQLite on a volume, a HEALTHCHECK.
# NOT built on the project's machines (they cannot pull base images); CI runs the same
# steps on the host instead (test/deploy/production.test.ts). See README, "Run it for real".
#
#   docker build -t cum-thi-dua .
#   docker run -d --name cum-thi-dua --env-file bot.env -v cum-thi-dua-data:/data \
#     -v "$PWD/clusters:/app/config:ro" -e CLUSTER_CONFIG=config/btc-5tp.yaml cum-thi-dua

# --- build: the development install (generates the Prisma clients), then the bundle in dist/
FROM node:20-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts prisma.pg.config.ts ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scenes ./scenes
RUN npm run build

# --- deps: the production install from the lockfile (no tsx, TypeScript or Prisma CLI);
# better-sqlite3's addon is downloaded prebuilt, or compiled with the tools above
FROM node:20-slim AS deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/postinstall.mjs ./scripts/postinstall.mjs
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime
FROM node:20-slim
ENV NODE_ENV=production \
    DATABASE_URL=file:/data/bot.db \
    PORT=8080 \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY bin ./bin
COPY --from=build /src/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# liveness (/healthz): the process answers. /readyz (database, updates arriving) is for a
# load balancer: a Telegram outage makes the bot not ready, and restarting it would not help.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# MALLOC_ARENA_MAX=2: glibc gives each thread (libuv's pool, SQLite's, the render worker) its
# own malloc arena and keeps their freed pages; two arenas end the 1,000-secretary run ~18 MB lower
ENV MALLOC_ARENA_MAX=2
# node itself as PID 1 (not npm, which does not pass SIGTERM on): SIGTERM → orderly stop, exit 0
# --max-old-space-size=128: V8 keeps garbage committed up to its default limit; the bot's live
# heap is ~45 MB at 1,000 secretaries (docs/benchmarks.md, "Memory: a heap limit")
CMD ["node", "--max-old-space-size=128", "dist/main.js"]
