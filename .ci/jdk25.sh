# Sourced by ./build, ./jattr and .ci/run: points JAVA_HOME at a JDK 25.
if [ -z "${JATTR_JAVA_HOME:-}" ]; then
  for c in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-* /usr/lib/jvm/jdk-25*; do
    if [ -x "$c/bin/java" ]; then JATTR_JAVA_HOME="$c"; break; fi
  done
fi
if [ -z "${JATTR_JAVA_HOME:-}" ] || [ ! -x "$JATTR_JAVA_HOME/bin/java" ]; then
  echo "jattr needs JDK 25: install it under /usr/lib/jvm or set JATTR_JAVA_HOME" >&2
  exit 2
fi
export JAVA_HOME="$JATTR_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"
