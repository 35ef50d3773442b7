# Sourced by ./mvnw before anything else: makes sure Maven runs on a JDK 25 or newer.
# Order: $JAVA_HOME if it is new enough, then `java` on the PATH, then the system's JVM folders.
# Nothing here names one machine: it looks for any JDK whose `release` file says 25 or later.
eventloop4j_jdk_major() { # prints the major version of the JDK at $1, or 0
  if [ -f "$1/release" ] && [ -x "$1/bin/javac" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
  else
    echo 0
  fi
}
eventloop4j_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ "$(eventloop4j_jdk_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if [ "$(eventloop4j_jdk_major "$candidate")" -ge 25 ] 2>/dev/null; then JAVA_HOME=$candidate; export JAVA_HOME; return 0; fi
  fi
  set +f
  for candidate in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$candidate" ] || continue
    if [ "$(eventloop4j_jdk_major "$candidate")" -ge 25 ] 2>/dev/null; then
      JAVA_HOME=$candidate; export JAVA_HOME; set -f; return 0
    fi
  done
  set -f
  echo "eventloop4j needs a JDK 25 or newer: set JAVA_HOME to one (none found in /usr/lib/jvm either)." >&2
  exit 1
}
eventloop4j_find_jdk
