# syntax=docker/dockerfile:1
# Pimento's container image: built in a full Rust image, run from a distroless one (glibc and
# CA certificates, no shell, no package manager) as an unprivileged user.
#
#   docker build -t pimento .
#   docker run -p 8080:8080 -v pimento-data:/data pimento
#
# The catalog (SQLite) and the files directory live in /data; point DATABASE_URL at PostgreSQL
# to run several containers on one database (see "Running in production" in README.md).

FROM rust:1.94-bookworm AS build
WORKDIR /src
COPY . .
# The release profile (Cargo.toml: thin LTO, 4 codegen units); --locked keeps Cargo.lock's versions.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p pimento \
    && cp target/release/pimento /pimento \
    && mkdir /data

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /pimento /usr/local/bin/pimento
# Writable by the image's unprivileged user (65532): a named volume mounted here inherits it.
COPY --from=build --chown=65532:65532 /data /data
USER 65532:65532
WORKDIR /data
ENV PIMENTO_LISTEN=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///data/pimento.db \
    PIMENTO_FILES_DIR=/data/files \
    PIMENTO_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/pimento"]
CMD ["serve", "--first-keys-file", "/data/first-keys.json"]
