# Sourced by the benchmark scripts: sets java_bin to JAVA_HOME's java, else Temurin 25's, else the PATH's.
java_bin=java
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
        java_bin=$candidate/bin/java
        break
    fi
done
