# syntax=docker/dockerfile:1
# One image for every AgentLedger role (README "Scale out"):
#   docker run agentledger up | collector | analyzer | api
# Build stage: the reactor builds the standalone module and copies its runtime dependencies to
# standalone/target/lib (the layout ./agentledger runs from).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Poms first, so the dependency download is cached until a pom changes.
COPY pom.xml ./
COPY core/pom.xml core/
COPY embedded-kafka/pom.xml embedded-kafka/
COPY embedded-clickhouse/pom.xml embedded-clickhouse/
COPY store/pom.xml store/
COPY store-duckdb/pom.xml store-duckdb/
COPY store-clickhouse/pom.xml store-clickhouse/
COPY instrumentation/pom.xml instrumentation/
COPY collector/pom.xml collector/
COPY analyzer/pom.xml analyzer/
COPY query-api/pom.xml query-api/
COPY standalone/pom.xml standalone/
COPY bench/pom.xml bench/
RUN mvn -B -ntp -q -pl standalone -am dependency:go-offline || true
COPY . .
RUN mvn -B -ntp -q -DskipTests -pl standalone -am package

# Runtime stage: a JRE, the classes and their libraries, an unprivileged user.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /data agentledger \
    && mkdir -p /data && chown agentledger /data
COPY --from=build /src/standalone/target/classes /app/classes
COPY --from=build /src/standalone/target/lib /app/lib
ENV AGENTLEDGER_HOST=0.0.0.0 \
    AGENTLEDGER_DATA_DIR=/data
USER agentledger
WORKDIR /data
VOLUME /data
# OTLP/HTTP (collector, up) and the API port (/api/v1 on api and up; /health and /metrics on all).
EXPOSE 4318 8080
ENTRYPOINT ["sh", "-c", "exec java ${AGENTLEDGER_JAVA_OPTS:--XX:MaxRAMPercentage=75 -XX:+UseG1GC} -cp '/app/classes:/app/lib/*' io.agentledger.standalone.Main \"$@\"", "agentledger"]
CMD ["up"]
