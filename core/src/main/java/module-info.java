/**
 * eventloop4j core: JavaScript's concurrency model on the JVM — one event loop per thread with Node.js's
 * queues and timers, and Promises with ECMAScript semantics. Depends on the JDK alone.
 */
module org.eventloop4j.core {
  requires static transitive org.jspecify;

  exports org.eventloop4j;
  exports org.eventloop4j.io;
  exports org.eventloop4j.resilience;
  exports org.eventloop4j.shared;
  exports org.eventloop4j.stream;
  exports org.eventloop4j.sync;
  exports org.eventloop4j.worker;
}
