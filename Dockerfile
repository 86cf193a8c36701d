# Packtrail: one container, SQLite and originals on the /data volume.
FROM node:20-bookworm-slim
WORKDIR /app
# MALLOC_ARENA_MAX: libvips' threads would otherwise each grow a malloc arena of their own.
# MALLOC_MMAP_THRESHOLD_: blocks of 4 MiB and more (scrypt's 16 MiB at each sign-in) are mapped and given
# back when freed; glibc's sliding threshold would otherwise keep them in the heap, resident for good.
ENV NODE_ENV=production DATA_DIR=/data PORT=8080 HOST=0.0.0.0 MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY server ./server
COPY storage ./storage
COPY migrations ./migrations
COPY scripts ./scripts
COPY tsconfig.json ./
RUN npm run build
VOLUME ["/data"]
EXPOSE 8080
# Smaller young-generation spaces keep resident memory under 200 MB while gigabytes stream through.
CMD ["node", "--max-semi-space-size=4", "dist/server.mjs"]
