# syntax=docker/dockerfile:1
# Multi-stage image of SecuSign: the same build steps as `npm ci && npm run build`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
# qpdf repairs damaged uploads and removes empty-password encryption before signing.
RUN apt-get update \
  && apt-get install -y --no-install-recommends qpdf tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
RUN mkdir -p /var/lib/secusign/storage && chown -R node:node /var/lib/secusign
ENV STORAGE_DIR=/var/lib/secusign/storage
USER node
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/api/src/main.js"]
