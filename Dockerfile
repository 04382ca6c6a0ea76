# One image for every Hypnostream service; the command picks the service (see docker-compose.yml).
# Build: docker build -t hypnostream .            GPU build: docker build --build-arg MAVEN_PROFILES=-Pgpu -t hypnostream:gpu .
FROM maven:3.9-eclipse-temurin-17 AS build
ARG MAVEN_PROFILES=
WORKDIR /src
COPY pom.xml ./
COPY common common
COPY service-kit service-kit
COPY test-kit test-kit
COPY embedded-broker embedded-broker
COPY ingest ingest
COPY stream-processor stream-processor
COPY inference inference
COPY dashboard-api dashboard-api
COPY app app
# the reactor lists benchmarks (the bench commands, not in the image): its pom must be there, only app and what it
# needs are built
COPY benchmarks benchmarks
RUN mvn -B -q -DskipTests ${MAVEN_PROFILES} -pl app -am install

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 hypnostream && mkdir -p /var/lib/hypnostream && chown hypnostream /var/lib/hypnostream
WORKDIR /opt/hypnostream
COPY --from=build /src/app/target/hypnostream.jar ./
COPY --from=build /src/app/target/lib ./lib
COPY models ./models
ENV ORT_DISABLE_TELEMETRY=1 \
    HYPNOSTREAM_MODELS_DIR=/opt/hypnostream/models \
    JAVA_TOOL_OPTIONS="--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/sun.nio.ch=ALL-UNNAMED --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/jdk.internal.ref=ALL-UNNAMED --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -Dchronicle.analytics.disable=true"
USER hypnostream
ENTRYPOINT ["java", "-jar", "/opt/hypnostream/hypnostream.jar"]
