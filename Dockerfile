# One image per camflow service, for compose.yaml. Build context: the repository root.
#   docker build --build-arg SERVICE=ingest-service --build-arg MAIN=io.camflow.ingest.IngestMain .
ARG SERVICE=ingest-service
FROM eclipse-temurin:21-jdk AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -pl ${SERVICE} -am package \
 && ./mvnw -B -q -pl ${SERVICE} dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib

FROM eclipse-temurin:21-jre
ARG SERVICE
ARG MAIN=io.camflow.ingest.IngestMain
WORKDIR /app
COPY --from=build /src/${SERVICE}/target/classes /app/classes
COPY --from=build /src/${SERVICE}/target/lib /app/lib
COPY config /etc/camflow
COPY routes /etc/camflow/routes
ENV CAMFLOW_CONFIG=/etc/camflow/camflow.yaml \
    CAMFLOW_ROUTES=/etc/camflow/routes \
    CAMFLOW_MAIN=${MAIN}
ENTRYPOINT ["sh", "-c", "exec java -cp '/app/classes:/app/lib/*' \"$CAMFLOW_MAIN\""]
