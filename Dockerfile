# syntax=docker/dockerfile:1
# kv-server image: a build stage compiles the TypeScript; the runtime stage holds only the
# production dependencies and the compiled JavaScript, and runs as the non-root `node` user.
# scripts/docker-check.sh replays these steps without Docker (keep the two in step).

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# --ignore-scripts: `prepare` runs the build, and the sources are not copied yet.
# The npm cache is a build cache mount: it never lands in a layer, so nothing to clean.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY scripts/build.mjs ./scripts/
COPY src ./src
RUN npm run build

FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# production dependencies only; --ignore-scripts: `prepare` would run the build, which needs tsc
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY docker/kv.conf /etc/kv-server/kv.conf
USER node
EXPOSE 6380
# PING over TCP with node's net (the slim image has no redis-cli). +PONG is healthy, and so is
# NOAUTH (a password was set: the server answers). Set KV_HEALTHCHECK_PORT if you change --port.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["node", "-e", "const s=require('net').connect(+(process.env.KV_HEALTHCHECK_PORT||6380),'127.0.0.1');s.setTimeout(2000,()=>process.exit(1));s.on('error',()=>process.exit(1));s.on('connect',()=>s.write('PING\\r\\n'));s.on('data',(d)=>process.exit(/^(\\+PONG|-NOAUTH)/.test(String(d))?0:1))"]
# the config file first, then any flags given to `docker run` (they override it)
ENTRYPOINT ["node", "dist/server/main.js", "/etc/kv-server/kv.conf"]
CMD []
