# syntax=docker/dockerfile:1
#
# RisingWave Metacontroller hook: build with Node 22 on Debian, run on distroless Node 22 as uid 65532.
#   docker build -t ghcr.io/risingwave-metacontroller/risingwave-hook:$(node -p 'require("./package.json").version') .
#
# Base images are pinned by tag AND index digest (multi-arch), so a rebuild uses exactly the same bytes; bump both
# together. The node tag and the distroless image carry the same Node major (22), so what compiles and installs
# in the build stages is what runs. The digests were taken from public repositories that pin the same tags, not
# pulled here; `docker buildx imagetools inspect <image:tag>` shows the current ones.

# ---- deps: every dependency, dev ones included (tsc) ---------------------------------------------------------
FROM node:22.22.0-bookworm-slim@sha256:dd9d21971ec4395903fa6143c2b9267d048ae01ca6d3ea96f16cb30df6187d94 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: nothing the build needs compiles natively, and it keeps dependency code from running here.
RUN npm ci --ignore-scripts --no-audit --no-fund

# ---- build: TypeScript -> dist/ -------------------------------------------------------------------------------
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- prod-deps: runtime dependencies only (no typescript, vitest, ...) ---------------------------------------
FROM node:22.22.0-bookworm-slim@sha256:dd9d21971ec4395903fa6143c2b9267d048ae01ca6d3ea96f16cb30df6187d94 AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime: no shell, no npm; node is the entrypoint and PID 1 ---------------------------------------------
FROM gcr.io/distroless/nodejs22-debian12:nonroot@sha256:13593b7570658e8477de39e2f4a1dd25db2f836d68a0ba771251572d23bb4f8e AS runtime
LABEL org.opencontainers.image.title="risingwave-hook" \
      org.opencontainers.image.description="RisingWave on Kubernetes as a Metacontroller sync hook" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
ENV NODE_ENV=production
# package.json is needed at run time: its "type": "module" makes node load dist/ as ES modules.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Numeric, so the kubelet can verify runAsNonRoot without resolving a user name.
USER 65532:65532
EXPOSE 8080
# The distroless entrypoint is `node`: this runs `node dist/cli/main.js serve` with node as PID 1, so SIGTERM
# reaches the server's own graceful-shutdown handler (npm would swallow it).
CMD ["dist/cli/main.js", "serve"]
