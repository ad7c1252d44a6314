# fluence-enrich as a one-off or scheduled job:
#   docker build -t fluence-enrich .
#   docker run --rm -v "$PWD:/data" -e FLUENCE_API_KEY fluence-enrich enrich contatos.csv
# or the local web page (open the address it prints; the work folder stays in the volume):
#   docker run --rm -p 127.0.0.1:8790:8790 -v "$PWD:/data" -e FLUENCE_API_KEY fluence-enrich \
#     serve --host 0.0.0.0 --dir /data/fluence-work
# Multi-stage: TypeScript is compiled in the first stage; the image keeps production
# dependencies and the build only, runs as the unprivileged `node` user, and has tini as PID 1
# so `docker stop` (SIGTERM) reaches the tool, which drains and writes what it has.
# Node 26: the supported LTS line that lasts longest (Active LTS since 2026-10-28, end of life
# 2029-04-30; README: Node versions), on Debian 13 trixie, the official images' default for 26:
# Debian 12 bookworm's own support ends 2028-06-30, before Node 26's. .ci/run tests Node 26.

FROM node:26-trixie-slim AS build
# better-sqlite3 is a native addon: its install script fetches a prebuilt binary, or compiles
# one when it cannot (no network to its host): the compiler stays in this stage.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts off for the install (the package's own `prepare` builds, and src is not here yet).
# The compile uses Node's own headers, which the official images ship in /usr/local/include/node:
# nothing is downloaded.
RUN npm ci --ignore-scripts \
 && npm_config_nodedir=/usr/local npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Production dependencies only, and of the native addon only the compiled library.
RUN npm run build && npm prune --omit=dev \
 && cd node_modules/better-sqlite3 \
 && rm -rf deps src build/deps build/Release/obj build/Release/obj.target build/Release/.deps build/Release/test_extension.node build/Release/sqlite3.a

FROM node:26-trixie-slim
# Node 26's binary links libatomic: the official image keeps it, named here so nothing depends on that.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini libatomic1 \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The web page `serve` sends: plain files, no build step.
COPY web ./web
COPY docker/entrypoint.sh ./docker/entrypoint.sh
# Input, output and the cache live in the mounted folder.
WORKDIR /data
RUN chown node:node /data
USER node
# The key: -e FLUENCE_API_KEY, or a secret file with --api-key-file /run/secrets/fluence_api_key.
# The entrypoint sizes Node's heap from the container's memory limit (docker/entrypoint.sh).
# `serve`'s default port (publish it on 127.0.0.1 only: -p 127.0.0.1:8790:8790).
EXPOSE 8790
ENTRYPOINT ["/usr/bin/tini", "--", "/app/docker/entrypoint.sh"]
CMD ["--help"]
