# syntax=docker/dockerfile:1
# One image per camflow service, each a target of this file (compose.yaml builds all three):
#   docker build --target ingest-service   -t camflow-ingest-service .
#   docker build --target packager-service -t camflow-packager-service .
#   docker build --target delivery-service -t camflow-delivery-service .
# Build context: the repository root. linux/amd64 only: the FFmpeg natives camflow bundles are x86-64.

# --- build: compiles the three services once (BuildKit shares this stage between the targets) ---
FROM eclipse-temurin:21-jdk-noble AS build
WORKDIR /src
COPY . .
# -Dmdep.skip: keycloak/ (the services' tests use it) would unpack the Keycloak server zip for ./camflow up; no service runs it.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -Dmdep.skip=true -pl ingest-service,packager-service,delivery-service -am install \
 && ./mvnw -B -q -pl ingest-service,packager-service,delivery-service dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory=target/lib \
 && for s in ingest-service packager-service delivery-service; do \
      mkdir -p /out/$s && cp -r $s/target/classes /out/$s/classes && cp -r $s/target/lib /out/$s/lib; \
    done

# --- runtime: what every service image shares ---
# Ubuntu-based Temurin JRE: glibc for the FFmpeg natives, and curl for the health checks (installed
# by the image itself: github.com/adoptium/containers, 21/jre/ubuntu/noble/Dockerfile).
FROM eclipse-temurin:21-jre-noble AS runtime
RUN groupadd --system --gid 10001 camflow \
 && useradd --system --uid 10001 --gid camflow --home-dir /home/camflow --create-home camflow
# Defaults baked in; compose.yaml mounts the repository's config/ and routes/ over them.
COPY config /etc/camflow/config
COPY routes /etc/camflow/routes
ENV CAMFLOW_ROUTES=/etc/camflow/routes
# the one configuration file every service reads (docs/configuration.md); the environment overrides it
ENV CAMFLOW_CONFIG=/etc/camflow/config/camflow.yaml
# javacpp unpacks the FFmpeg natives into ~/.javacpp: the home directory must be writable.
USER camflow
WORKDIR /home/camflow
# The JVM is pid 1 and gets SIGTERM from `docker stop`: Camel stops the routes, Kafka clients flush.
ENTRYPOINT ["java", "-cp", "/app/classes:/app/lib/*"]

FROM runtime AS ingest-service
COPY --from=build /out/ingest-service /app
# /healthz of the metrics server (CAMFLOW_METRICS_PORT, 8081; loopback inside the container)
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${CAMFLOW_METRICS_PORT:-8081}/healthz" || exit 1
CMD ["io.camflow.ingest.IngestMain"]

FROM runtime AS packager-service
COPY --from=build /out/packager-service /app
# /healthz of the metrics server (CAMFLOW_METRICS_PORT, 8082; loopback inside the container)
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${CAMFLOW_METRICS_PORT:-8082}/healthz" || exit 1
CMD ["io.camflow.packager.PackagerMain"]

FROM runtime AS delivery-service
COPY --from=build /out/delivery-service /app
# HTTP (web viewer, HLS, MSE, WHEP, API) and WebRTC media
EXPOSE 8080 8189/udp
# /healthz on the HTTP port: open to loopback without a token (CAMFLOW_HEALTH_ACCESS=loopback)
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${CAMFLOW_HTTP_PORT:-8080}/healthz" || exit 1
CMD ["io.camflow.delivery.DeliveryMain"]
