package org.eventloop4j.internal;

/**
 * 64 bytes of padding, the root of a class chain that keeps a hot field off the cache line of whatever the
 * JVM allocated before its object (MpscQueue; the worker package's PaddedInt, CompletionInbox, TaskFifo);
 * a field declared in a subclass is laid out after these. Padding after a field has to be declared in each
 * class itself (single inheritance).
 */
public abstract class LinePad {
  long p0;
  long p1;
  long p2;
  long p3;
  long p4;
  long p5;
  long p6;
  long p7;
}
